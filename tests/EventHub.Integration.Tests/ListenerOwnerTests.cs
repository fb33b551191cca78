using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace EventHub.Integration.Tests;

/// <summary>A listener is the key's that registered it: another key with every listener scope still cannot touch it.</summary>
public sealed class ListenerOwnerTests : IAsyncDisposable
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new(AccessKeys.Settings());

    public static TheoryData<string, string> Uses => new()
    {
        { "GET", "" },
        { "PATCH", "" },
        { "DELETE", "" },
        { "GET", "/transactions" },
        { "GET", "/dead-letters" },
        { "POST", "/dead-letters/replay" },
        { "GET", "/stream" },
        { "POST", "/transactions/some-event" },
    };

    [Theory]
    [MemberData(nameof(Uses))]
    public async Task Another_key_cannot_read_change_stream_acknowledge_or_replay_a_listener_it_does_not_own(string method, string suffix)
    {
        using var teamA = _hub.ClientWith(AccessKeys.TeamA);
        using var teamB = _hub.ClientWith(AccessKeys.TeamB);
        var id = await RegisterAsync(teamA, "a-orders");

        using var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/listeners/{id}{suffix}");
        if (method is "POST" or "PATCH")
            request.Content = new StringContent("""{"events": ["order.*"], "status": "succeeded"}""", Encoding.UTF8, "application/json");
        var response = await teamB.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;
        Assert.Equal("id", problem["field"]!.GetValue<string>());
        Assert.Equal("admin", problem["scope"]!.GetValue<string>());
        var mine = (await teamA.GetFromJsonAsync<JsonObject>($"/v1/listeners/{id}", Cancel))!;
        Assert.Equal(["order.*"], mine["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("active", mine["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_key_cannot_take_a_listener_over_by_registering_its_name_again()
    {
        using var teamA = _hub.ClientWith(AccessKeys.TeamA);
        using var teamB = _hub.ClientWith(AccessKeys.TeamB);
        var id = await RegisterAsync(teamA, "shared-name");

        var takeover = await teamB.PostAsJsonAsync("/v1/listeners", new { name = "shared-name", events = new[] { "order.#" }, delivery = new { type = "pull" } }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, takeover.StatusCode);
        Assert.DoesNotContain("whsec_", await takeover.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        var mine = (await teamA.GetFromJsonAsync<JsonObject>($"/v1/listeners/{id}", Cancel))!;
        Assert.Equal(["order.*"], mine["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("team-a", mine["owner"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_lists_only_its_own_listeners_and_an_admin_key_lists_all()
    {
        using var teamA = _hub.ClientWith(AccessKeys.TeamA);
        using var teamB = _hub.ClientWith(AccessKeys.TeamB);
        var a = await RegisterAsync(teamA, "listed-a");
        var b = await RegisterAsync(teamB, "listed-b");

        Assert.Equal([a], await ListAsync(teamA));
        Assert.Equal([b], await ListAsync(teamB));
        Assert.Equal([a, b], (await ListAsync(_hub.Http)).Order());
        Assert.Equal(HttpStatusCode.OK, (await _hub.Http.GetAsync($"/v1/listeners/{a}/transactions", Cancel)).StatusCode);
    }

    static async Task<string> RegisterAsync(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("/v1/listeners", new { name, events = new[] { "order.*" }, delivery = new { type = "pull" } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["id"]!.GetValue<string>();
    }

    static async Task<List<string>> ListAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonObject>("/v1/listeners", Cancel))!["items"]!.AsArray().Select(l => l!["id"]!.GetValue<string>())];

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
