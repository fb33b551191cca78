using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventHub.Dashboard.Api;

/// <summary>
/// The hub's own HTTP API, called over loopback with the logged-in person's key. The dashboard is a client of the public
/// API like any other (see docs/adr/0010): it needs no contract of the listeners or events modules beyond the API's JSON.
/// </summary>
internal sealed class HubApi(HttpClient http, HubAddress address)
{
    public async Task<JsonArray> ListenersAsync(string key, CancellationToken cancellationToken) =>
        (await GetAsync("v1/listeners", key, cancellationToken))?["items"]?.AsArray() ?? [];

    public Task<JsonNode?> ListenerAsync(string id, string key, CancellationToken cancellationToken) =>
        GetAsync($"v1/listeners/{Uri.EscapeDataString(id)}", key, cancellationToken);

    public async Task<JsonArray> TransactionsAsync(string id, string? state, int limit, string key, CancellationToken cancellationToken)
    {
        var query = state is null ? $"?limit={limit}" : $"?state={Uri.EscapeDataString(state)}&limit={limit}";
        return (await GetAsync($"v1/listeners/{Uri.EscapeDataString(id)}/transactions{query}", key, cancellationToken))?["items"]?.AsArray() ?? [];
    }

    /// <summary>One event as the API's JSON text, null when there is none: the payload in it is byte-for-byte what was received.</summary>
    public async Task<string?> EventRawAsync(string id, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address.BaseAddress, $"v1/events/{Uri.EscapeDataString(id)}"));
        request.Headers.Add("X-EventHub-Key", key);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await ThrowUnlessSuccess(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public Task<JsonNode?> EventsAsync(string name, string source, DateTimeOffset since, string? after, string key, CancellationToken cancellationToken)
    {
        var query = $"v1/events?name={Uri.EscapeDataString(name)}&source={Uri.EscapeDataString(source)}&since={Uri.EscapeDataString(since.UtcDateTime.ToString("O"))}&limit=1000";
        return GetAsync(after is null ? query : $"{query}&after={Uri.EscapeDataString(after)}", key, cancellationToken);
    }

    /// <summary>The detection rules loaded and refused (<c>GET /v1/detections</c>).</summary>
    public Task<JsonNode?> DetectionsAsync(string key, CancellationToken cancellationToken) =>
        GetAsync("v1/detections", key, cancellationToken);

    /// <summary>Replays the listener's dead letters (the given ones, or all); returns how many were put back.</summary>
    public async Task<int> ReplayAsync(string id, IReadOnlyList<string>? eventIds, string key, CancellationToken cancellationToken) =>
        (await PostAsync($"v1/listeners/{Uri.EscapeDataString(id)}/dead-letters/replay", Selection("eventIds", eventIds), key, cancellationToken))?["replayed"]?.GetValue<int>() ?? 0;

    /// <summary>The listener's replay jobs, newest first.</summary>
    public async Task<JsonArray> ReplayJobsAsync(string id, string key, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/listeners/{Uri.EscapeDataString(id)}/replays?limit=20", key, cancellationToken))?["items"]?.AsArray() ?? [];

    /// <summary>Starts a replay job (<c>{"from", "to"?, "events"?}</c>); the hub's refusal is thrown as <see cref="HubApiException"/>.</summary>
    public async Task StartReplayAsync(string id, JsonObject body, string key, CancellationToken cancellationToken) =>
        _ = await PostAsync($"v1/listeners/{Uri.EscapeDataString(id)}/replays", body, key, cancellationToken)
            ?? throw new HubApiException(HttpStatusCode.NotFound, $"No listener with id '{id}'.");

    /// <summary>Every event name the hub knows and every emitted one (<c>GET /v1/catalog</c>).</summary>
    public async Task<JsonNode> CatalogAsync(string key, CancellationToken cancellationToken) =>
        await GetAsync("v1/catalog", key, cancellationToken) ?? new JsonObject();

    /// <summary>The hub's own consumers' _error queues, with up to <paramref name="peek"/> messages each.</summary>
    public async Task<JsonArray> ErrorQueuesAsync(int peek, string key, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/errors?peek={peek}", key, cancellationToken))?["items"]?.AsArray() ?? [];

    /// <summary>Moves messages of an _error queue (the given ones, or all) back to their queue; returns how many moved.</summary>
    public async Task<int> ReplayErrorQueueAsync(string queue, IReadOnlyList<string>? messageIds, string key, CancellationToken cancellationToken) =>
        (await PostAsync($"v1/errors/{Uri.EscapeDataString(queue)}/replay", Selection("messageIds", messageIds), key, cancellationToken))?["replayed"]?.GetValue<int>()
            ?? throw new HubApiException(HttpStatusCode.NotFound, $"'{queue}' is not an error queue of the hub.");

    static JsonObject Selection(string field, IReadOnlyList<string>? ids) =>
        ids is null ? [] : new JsonObject { [field] = new JsonArray([.. ids.Select(e => (JsonNode)e)]) };

    async Task<JsonNode?> PostAsync(string path, JsonObject body, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address.BaseAddress, path));
        request.Headers.Add("X-EventHub-Key", key);
        request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, cancellationToken);
        return await Read(response, cancellationToken);
    }

    /// <summary>Resumes a paused listener; the hub's refusal (409 when it is not paused) is thrown as <see cref="HubApiException"/>.</summary>
    public async Task ResumeAsync(string id, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address.BaseAddress, $"v1/listeners/{Uri.EscapeDataString(id)}/resume"));
        request.Headers.Add("X-EventHub-Key", key);
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowUnlessSuccess(response, cancellationToken);
    }

    async Task<JsonNode?> GetAsync(string path, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address.BaseAddress, path));
        request.Headers.Add("X-EventHub-Key", key);
        using var response = await http.SendAsync(request, cancellationToken);
        return await Read(response, cancellationToken);
    }

    /// <summary>The body of a success, null for a 404; anything else is the API refusing, said as such.</summary>
    static async Task<JsonNode?> Read(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await ThrowUnlessSuccess(response, cancellationToken);
        return await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    static async Task ThrowUnlessSuccess(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        string? detail = null;
        try
        {
            detail = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["detail"]?.GetValue<string>();
        }
        catch (JsonException)
        {
        }

        throw new HubApiException(response.StatusCode, detail);
    }
}
