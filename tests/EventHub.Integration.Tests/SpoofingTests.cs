using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>What only the hub publishes cannot be emitted, and an event id belongs to the source that used it first.</summary>
public sealed class SpoofingTests : IAsyncDisposable
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new(AccessKeys.Settings());

    [Theory]
    [InlineData("security.brute_force.detected")]
    [InlineData("security")]
    [InlineData("auth0")]
    [InlineData("auth0.auth.login.fail.f")]
    public async Task Even_an_admin_key_cannot_emit_a_name_reserved_for_the_hub(string name)
    {
        var response = await _hub.Http.PostAsJsonAsync("/v1/events", new { name, payload = new { user_id = "auth0|victim" } }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;
        Assert.Equal("name", problem["field"]!.GetValue<string>());
        Assert.Contains("reserved", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_hub.Recorder.Published);
    }

    [Fact]
    public async Task Another_source_cannot_claim_an_event_id_and_the_owner_keeps_it()
    {
        using var teamA = _hub.ClientWith(AccessKeys.TeamA);
        using var teamB = _hub.ClientWith(AccessKeys.TeamB);
        var stolen = await teamB.PostAsJsonAsync("/v1/events", new { name = "order.placed", payload = new { by = "b" }, id = "order-42" }, Cancel);
        var again = await teamB.PostAsJsonAsync("/v1/events", new { name = "order.placed", payload = new { by = "b" }, id = "order-42" }, Cancel);
        var refused = await teamA.PostAsJsonAsync("/v1/events", new { name = "order.placed", payload = new { by = "a" }, id = "order-42" }, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("id", (await refused.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["field"]!.GetValue<string>());
        var stored = await Eventually.UntilAsync(() => _hub.Http.GetAsync("/v1/events/order-42", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the first emit stored");
        Assert.Equal("team-b", (await stored.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_idempotency_key_from_two_sources_names_two_events()
    {
        using var teamA = _hub.ClientWith(AccessKeys.TeamA);
        using var teamB = _hub.ClientWith(AccessKeys.TeamB);

        var a = await EmitWithIdempotencyKeyAsync(teamA);
        var b = await EmitWithIdempotencyKeyAsync(teamB);

        Assert.NotEqual(a, b);
    }

    static async Task<string> EmitWithIdempotencyKeyAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(new { name = "order.placed", payload = new { } }) };
        request.Headers.Add("Idempotency-Key", "checkout-7");
        var response = await http.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["ids"]![0]!.GetValue<string>();
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
