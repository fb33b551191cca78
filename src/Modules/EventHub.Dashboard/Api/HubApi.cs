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

    public Task<JsonNode?> EventsAsync(string name, DateTimeOffset since, string? after, string key, CancellationToken cancellationToken)
    {
        var query = $"v1/events?name={Uri.EscapeDataString(name)}&since={Uri.EscapeDataString(since.UtcDateTime.ToString("O"))}&limit=1000";
        return GetAsync(after is null ? query : $"{query}&after={Uri.EscapeDataString(after)}", key, cancellationToken);
    }

    /// <summary>Replays the listener's dead letters (the given ones, or all); returns how many were put back.</summary>
    public async Task<int> ReplayAsync(string id, IReadOnlyList<string>? eventIds, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address.BaseAddress, $"v1/listeners/{Uri.EscapeDataString(id)}/dead-letters/replay"));
        request.Headers.Add("X-EventHub-Key", key);
        request.Content = JsonContent.Create(eventIds is null ? new JsonObject() : new JsonObject { ["eventIds"] = new JsonArray([.. eventIds.Select(e => (JsonNode)e)]) });
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await Read(response, cancellationToken);
        return body?["replayed"]?.GetValue<int>() ?? 0;
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
