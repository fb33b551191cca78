using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>
/// Topic bounds of a key (<c>__Read__N</c>, <c>__Emit__N</c>) and the <c>auth0:read</c> scope decide what it may read,
/// listen to and emit; what it may not read is absent from its answers.
/// </summary>
public sealed class TopicBoundsTests : IAsyncDisposable
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new(AccessKeys.Settings());

    [Fact]
    public async Task A_key_bounded_to_order_events_reads_only_those()
    {
        var order = await EmitOnlyKeyTests.EmitAsync(_hub.Http, "order.placed");
        var invoice = await EmitOnlyKeyTests.EmitAsync(_hub.Http, "invoice.sent");
        await Eventually.UntilAsync(() => NamesAsync(_hub.Http, "#"), names => names.Count == 2, what: "both events stored");
        using var reader = _hub.ClientWith(AccessKeys.OrdersReader);

        Assert.Equal(["order.placed"], await NamesAsync(reader, "#"));
        Assert.Empty(await NamesAsync(reader, "invoice.*"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/events/{order}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/v1/events/{invoice}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Auth0_events_are_absent_for_a_key_without_auth0_read()
    {
        var batch = """[{"log_id": "90020261206000000000000001", "data": {"type": "f", "date": "2026-12-06T04:00:00Z", "user_name": "victim@example.com", "ip": "203.0.113.9"}}]""";
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(batch)).StatusCode);
        await Eventually.UntilAsync(() => NamesAsync(_hub.Http, "auth0.#"), names => names.Count == 1, what: "the Auth0 entry stored");
        using var team = _hub.ClientWith(AccessKeys.TeamA);

        Assert.Empty(await NamesAsync(team, "#"));
        Assert.Empty(await NamesAsync(team, "auth0.#"));
    }

    [Theory]
    [InlineData(AccessKeys.TeamA, "#", "auth0:read")]
    [InlineData(AccessKeys.TeamA, "*.login", "auth0:read")]
    [InlineData(AccessKeys.TeamA, "security.#", "auth0:read")]
    [InlineData(AccessKeys.OrdersReader, "invoice.*", "events:read")]
    [InlineData(AccessKeys.OrdersReader, "order.#", "events:read")]
    public async Task A_listener_on_events_the_key_may_not_read_is_refused(string key, string pattern, string scope)
    {
        using var http = _hub.ClientWith(key);

        var response = await http.PostAsJsonAsync("/v1/listeners", new { name = "wide", events = new[] { pattern }, delivery = new { type = "pull" } }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;
        Assert.Equal("events", problem["field"]!.GetValue<string>());
        Assert.Equal(scope, problem["scope"]!.GetValue<string>());
        Assert.Empty((await _hub.Http.GetFromJsonAsync<JsonObject>("/v1/listeners", Cancel))!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_listener_within_the_key_bounds_is_registered()
    {
        using var reader = _hub.ClientWith(AccessKeys.OrdersReader);

        var response = await reader.PostAsJsonAsync("/v1/listeners", new { name = "orders", events = new[] { "order.*", "order.placed" }, delivery = new { type = "pull" } }, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_key_bounded_to_billing_events_emits_only_those()
    {
        using var billing = _hub.ClientWith(AccessKeys.Billing);

        var outside = await billing.PostAsJsonAsync("/v1/events", new[] { new { name = "billing.invoice.sent", payload = new { } }, new { name = "order.placed", payload = new { } } }, Cancel);
        var inside = await billing.PostAsJsonAsync("/v1/events", new { name = "billing.invoice.sent", payload = new { } }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal("emit", (await outside.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["scope"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, inside.StatusCode);
        Assert.Single(_hub.Recorder.Published);
    }

    static async Task<List<string>> NamesAsync(HttpClient http, string pattern) =>
        [.. (await http.GetFromJsonAsync<JsonObject>($"/v1/events?name={Uri.EscapeDataString(pattern)}", Cancel))!["items"]!.AsArray().Select(e => e!["name"]!.GetValue<string>())];

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
