using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Dashboard.Tests;

/// <summary>The dashboard's protections over plain HTTP: login, antiforgery, who may replay, and turning it off.</summary>
public sealed class AccessTests(DashboardHub hub)
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/ui")]
    [InlineData("/ui/listeners")]
    [InlineData("/ui/dead-letters")]
    [InlineData("/ui/errors")]
    [InlineData("/ui/catalog")]
    [InlineData("/ui/auth0")]
    [InlineData("/ui/security")]
    [InlineData("/ui/events/any")]
    public async Task Pages_send_a_visitor_without_a_login_to_the_login_form(string path)
    {
        using var session = new UiSession(hub.BaseAddress);
        using var response = await session.Http.GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/ui/login?ReturnUrl=", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_key_header_is_not_a_login()
    {
        using var session = new UiSession(hub.BaseAddress);
        session.Http.DefaultRequestHeaders.Add("X-EventHub-Key", DashboardHub.AdminKey);
        using var response = await session.Http.GetAsync("/ui/listeners", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task The_event_stream_answers_401_without_a_login()
    {
        using var session = new UiSession(hub.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await session.Http.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_event_stream_refuses_a_bad_pattern_naming_the_field()
    {
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.ViewerKey);
        using var response = await session.Http.GetAsync("/ui/stream?name=a..b", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("name", (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_live_page_says_what_is_wrong_with_a_bad_pattern()
    {
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.ViewerKey);
        using var response = await session.Http.GetAsync("/ui?name=Order.*", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("has an invalid word &#x27;Order&#x27;", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_does_not_log_in()
    {
        using var session = new UiSession(hub.BaseAddress);
        var token = await session.TokenFromAsync("/ui/login");
        const string Refused = "Dashboard login refused: unknown API key";
        var refusedBefore = Count(hub.Host.Output, Refused);
        using var response = await session.PostFormAsync("/ui/login", new() { ["key"] = "guessed", ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The host's output arrives through a pipe: its line about this login shows that the key would have shown by now.
        await Eventually.UntilAsync(() => Task.FromResult(Count(hub.Host.Output, Refused)), n => n > refusedBefore, what: "the refused login's log line");
        Assert.DoesNotContain(hub.Host.Output.Split('\n'), line => line.Contains("guessed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_login_post_without_an_antiforgery_token_is_refused()
    {
        using var session = new UiSession(hub.BaseAddress);
        using var response = await session.PostFormAsync("/ui/login", new() { ["key"] = DashboardHub.AdminKey });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_replay_without_an_antiforgery_token_is_refused_and_replays_nothing()
    {
        await using var dead = await DeadLetter.CreateAsync(hub, "csrf-refused");
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.AdminKey);
        using var response = await session.PostFormAsync("/ui/dead-letters?handler=Replay", new() { ["listenerId"] = dead.ListenerId, ["replay"] = "all" }, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(dead.Receiver.Received);
        Assert.Single((await hub.Api.GetFromJsonAsync<JsonObject>($"/v1/listeners/{dead.ListenerId}/dead-letters", Cancel))!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_replay_with_a_token_from_another_session_is_refused()
    {
        await using var dead = await DeadLetter.CreateAsync(hub, "csrf-foreign");
        using var attacker = new UiSession(hub.BaseAddress);
        await attacker.LoginAsync(DashboardHub.ViewerKey);
        var foreignToken = await attacker.TokenFromAsync("/ui/dead-letters");
        using var victim = new UiSession(hub.BaseAddress);
        await victim.LoginAsync(DashboardHub.AdminKey);
        using var response = await victim.PostFormAsync("/ui/dead-letters?handler=Replay", new() { ["listenerId"] = dead.ListenerId, ["replay"] = "all", ["__RequestVerificationToken"] = foreignToken }, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(dead.Receiver.Received);
    }

    [Fact]
    public async Task A_read_only_key_may_not_replay()
    {
        await using var dead = await DeadLetter.CreateAsync(hub, "replay-forbidden");
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.ViewerKey);
        var token = await session.TokenFromAsync("/ui/dead-letters");
        using var response = await session.PostFormAsync("/ui/dead-letters?handler=Replay", new() { ["listenerId"] = dead.ListenerId, ["replay"] = "all", ["__RequestVerificationToken"] = token }, "application/json");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("scope", (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["field"]!.GetValue<string>());
        Assert.Single(dead.Receiver.Received);
    }

    [Fact]
    public async Task An_admin_replay_of_all_answers_the_ids_it_replayed()
    {
        await using var dead = await DeadLetter.CreateAsync(hub, "replay-json");
        dead.Receiver.DefaultStatus = 204;
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.AdminKey);
        var token = await session.TokenFromAsync($"/ui/dead-letters?listener={dead.ListenerId}");
        using var response = await session.PostFormAsync("/ui/dead-letters?handler=Replay", new() { ["listenerId"] = dead.ListenerId, ["replay"] = "all", ["__RequestVerificationToken"] = token }, "application/json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;
        Assert.Equal(1, body["replayed"]!.GetValue<int>());
        Assert.Equal(dead.EventId, Assert.Single(body["eventIds"]!.AsArray())!.GetValue<string>());
        await Eventually.UntilAsync(() => Task.FromResult(dead.Receiver.Received.Count), count => count == 2, what: "the replayed delivery");
    }

    [Fact]
    public async Task Pages_forbid_foreign_scripts_and_framing()
    {
        using var session = new UiSession(hub.BaseAddress);
        using var response = await session.Http.GetAsync("/ui/login", Cancel);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_are_served_by_the_host()
    {
        using var session = new UiSession(hub.BaseAddress);
        using var css = await session.Http.GetAsync("/ui/assets/dashboard.css", Cancel);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        using var missing = await session.Http.GetAsync("/ui/assets/nothing.js", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_can_be_turned_off()
    {
        var settings = DashboardHub.Settings();
        settings["EventHub__Ui__Enabled"] = "false";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/login", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready", Cancel)).StatusCode);
        // Every endpoint, a live feed's included, has started and said so before the bus says it started.
        await host.WaitForOutputAsync("Bus started");
        Assert.DoesNotContain("live-feed", host.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EventHub__Ui__Enabled", "maybe", "EventHub__Ui__Enabled 'maybe' is not valid: use true or false.")]
    public async Task A_bad_dashboard_setting_stops_the_host_naming_it(string key, string value, string message)
    {
        var settings = DashboardHub.Settings();
        settings[key] = value;
        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    static int Count(string output, string text) => output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));
}
