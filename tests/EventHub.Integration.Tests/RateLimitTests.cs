using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventHub.Integration.Tests;

/// <summary>Requests over the limits of a key, an address or dashboard logins are answered 429 with Retry-After, others pass.</summary>
public sealed class RateLimitTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_and_another_key_is_unaffected()
    {
        var settings = AccessKeys.Settings();
        settings["EventHub:Limits:PerKey"] = "5";
        settings["EventHub:Limits:Window"] = "00:01:00";
        await using var hub = new EmbeddedHub(settings);
        using var teamA = hub.ClientWith(AccessKeys.TeamA);
        using var teamB = hub.ClientWith(AccessKeys.TeamB);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
            statuses.Add((await teamA.GetAsync("/v1/listeners", Cancel)).StatusCode);
        var limited = await teamA.GetAsync("/v1/events", Cancel);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)), statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.InRange((await limited.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["retryAfterSeconds"]!.GetValue<int>(), 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await teamB.GetAsync("/v1/listeners", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await teamA.GetAsync("/health/live", Cancel)).StatusCode);
    }

    [Fact]
    public async Task An_address_over_its_limit_gets_429_on_the_webhooks_too()
    {
        await using var hub = new EmbeddedHub(new() { ["EventHub:Limits:PerIp"] = "3", ["EventHub:Limits:Window"] = "00:01:00" });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await hub.PostAuth0Async("[]", token: "wrong-token")).StatusCode);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Dashboard_logins_over_the_limit_get_429_before_the_key_is_checked()
    {
        await using var hub = new EmbeddedHub(new() { ["EventHub:Limits:LoginsPerMinute"] = "3" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await hub.Http.PostAsync("/ui/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = $"guess-{i}" }), Cancel)).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[4]);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
    }

    [Fact]
    public async Task A_key_owning_its_most_listeners_cannot_register_another_but_may_register_one_again()
    {
        var settings = AccessKeys.Settings();
        settings["EventHub:Listeners:MaxPerKey"] = "2";
        await using var hub = new EmbeddedHub(settings);
        using var team = hub.ClientWith(AccessKeys.TeamA);

        var statuses = new List<HttpStatusCode>();
        foreach (var name in new[] { "first", "second", "third", "first" })
            statuses.Add((await team.PostAsJsonAsync("/v1/listeners", new { name, events = new[] { "order.*" }, delivery = new { type = "pull" } }, Cancel)).StatusCode);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task A_control_body_over_64_kb_is_refused_with_413_and_registers_nothing()
    {
        await using var hub = new EmbeddedHub();
        var padding = new string('x', 70 * 1024);

        using var body = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { name = "big", events = new[] { "order.*" }, delivery = new { type = "pull" }, label = padding }), System.Text.Encoding.UTF8, "application/json");

        var response = await hub.Http.PostAsync("/v1/listeners", body, Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body", (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["field"]!.GetValue<string>());
        Assert.Empty((await hub.Http.GetFromJsonAsync<JsonObject>("/v1/listeners", Cancel))!["items"]!.AsArray());
    }
}
