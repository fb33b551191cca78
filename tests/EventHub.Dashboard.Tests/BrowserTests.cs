using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventHub.Dashboard.Tests;

/// <summary>The dashboard in real headless Chromium against the real host process.</summary>
public sealed class BrowserTests(DashboardHub hub)
{
    [Fact]
    public async Task Login_is_required_and_an_unknown_key_is_refused()
    {
        var page = await hub.PageAsync(key: null);
        await page.GotoAsync("/ui/listeners");
        Assert.Contains("/ui/login", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("API key").FillAsync("not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not a key this hub knows");

        await page.GetByLabel("API key").FillAsync(DashboardHub.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Listeners");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Emitted_events_appear_live_and_open_to_their_payload_and_transactions()
    {
        var page = await hub.PageAsync();
        await Expect(page.Locator("[data-live] [role=status]")).ToContainTextAsync("Live");

        var id = await hub.EmitAsync("browser.live.placed", new { order = 7, note = "hello from the test" });

        var row = page.Locator($"tr[data-id='{id}']");
        await Expect(row).ToContainTextAsync("browser.live.placed");
        await Expect(row).ToContainTextAsync("ops");
        // The row comes from the bus; the detail is read from the event log, which stores it in its own time.
        await Eventually.UntilAsync(async () => (await hub.Api.GetAsync($"/v1/events/{id}", TestContext.Current.CancellationToken)).IsSuccessStatusCode, ok => ok, what: "the event log to store the event");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("browser.live.placed");
        await Expect(page.GetByLabel("Payload, indented")).ToContainTextAsync("\"note\": \"hello from the test\"");
        await Expect(page.GetByText("No listener has received this event.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_filter_shows_only_matching_names_and_sources_live_and_on_reload()
    {
        var page = await hub.PageAsync();
        await page.GetByLabel("Name pattern").FillAsync("filter.kept.*");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await DashboardHub.ArrivedAtAsync(page, "/ui?name=filter.kept.*&source=");
        await Expect(page.Locator("[data-live] [role=status]")).ToContainTextAsync("Live");

        var dropped = await hub.EmitAsync("filter.dropped.one", new { n = 1 });
        var kept = await hub.EmitAsync("filter.kept.one", new { n = 2 });

        // Events stream in order: once the later one is shown, the earlier one would have been too had it matched.
        await Expect(page.Locator($"tr[data-id='{kept}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-id='{dropped}']")).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Expect(page.Locator($"tr[data-id='{kept}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-id='{dropped}']")).ToHaveCountAsync(0);

        await page.GotoAsync("/ui?source=viewer");
        await Expect(page.Locator("[data-live] [role=status]")).ToContainTextAsync("Live");
        var fromOps = await hub.EmitAsync("filter.source.one", new { n = 3 });
        var fromViewer = await hub.EmitAsync("filter.source.two", new { n = 4 }, DashboardHub.ViewerKey);
        await Expect(page.Locator($"tr[data-id='{fromViewer}']")).ToContainTextAsync("viewer");
        await Expect(page.Locator($"tr[data-id='{fromOps}']")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pause_holds_new_events_back_until_resumed()
    {
        var page = await hub.PageAsync();
        await page.GotoAsync("/ui?name=pause.%23");
        var status = page.Locator("[data-live] [role=status]");
        await Expect(status).ToContainTextAsync("Live");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToHaveAttributeAsync("aria-pressed", "true");

        var id = await hub.EmitAsync("pause.held", new { n = 1 });

        await Expect(status).ToContainTextAsync("1 new event waiting");
        await Expect(page.Locator($"tr[data-id='{id}']")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.Locator($"tr[data-id='{id}']")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_dead_letter_replayed_from_the_page_turns_succeeded_without_a_reload()
    {
        await using var dead = await DeadLetter.CreateAsync(hub, "replay-browser");
        dead.Receiver.DefaultStatus = 200;
        var page = await hub.PageAsync();
        await page.GotoAsync($"/ui/dead-letters?listener={dead.ListenerId}");
        var row = page.Locator($"tr[data-id='{dead.EventId}']");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("dead");

        await row.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Replay 1 dead letter of listener replay-browser?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Replay", Exact = true }).ClickAsync();

        await Expect(page.Locator("[data-result]")).ToContainTextAsync("Replayed 1 dead letter");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("succeeded");
        var deliveries = dead.Receiver.Received.ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(dead.EventId, d.WebhookId));
        Assert.Equal(200, deliveries[^1].AnsweredStatus);

        // The event's own page now shows the succeeded transaction at that listener.
        await page.GotoAsync($"/ui/events/{dead.EventId}");
        await Expect(page.Locator("tr", new() { HasText = "replay-browser" }).Locator(".badge")).ToHaveTextAsync("succeeded");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cancelling_the_confirmation_replays_nothing()
    {
        await using var dead = await DeadLetter.CreateAsync(hub, "replay-cancelled");
        var page = await hub.PageAsync();
        await page.GotoAsync($"/ui/dead-letters?listener={dead.ListenerId}");
        var row = page.Locator($"tr[data-id='{dead.EventId}']");
        await row.GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay selected" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Replay 1 dead letter");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();

        await page.ReloadAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("dead");
        Assert.Single(dead.Receiver.Received);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_read_only_key_sees_dead_letters_but_cannot_replay_them()
    {
        await using var dead = await DeadLetter.CreateAsync(hub, "replay-readonly", DashboardHub.ViewerKey);
        var page = await hub.PageAsync(DashboardHub.ViewerKey);
        await page.GotoAsync($"/ui/dead-letters?listener={dead.ListenerId}");
        await Expect(page.GetByText("can look but not replay")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-id='{dead.EventId}']").GetByRole(AriaRole.Button, new() { Name = "Replay" })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Replay all" })).ToBeDisabledAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Listeners_show_state_counts_and_latency_and_open_to_recent_transactions()
    {
        await using var dead = await DeadLetter.CreateAsync(hub, "listener-page");
        var page = await hub.PageAsync();
        await page.GotoAsync("/ui/listeners");
        var row = page.Locator($"tr[data-id='{dead.ListenerId}']");
        await Expect(row).ToContainTextAsync("listener-page.#");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("active");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "1", Exact = true })).ToHaveAttributeAsync("href", $"/ui/dead-letters?listener={dead.ListenerId}");
        await Expect(row.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Latency, last 1: "));

        await row.GetByRole(AriaRole.Link, new() { Name = "listener-page" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("listener-page");
        var transaction = page.Locator($"tr[data-id='{dead.EventId}']");
        await Expect(transaction).ToContainTextAsync("503");
        await Expect(transaction.Locator(".badge")).ToHaveTextAsync("dead");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_listener_page_shows_its_payload_filter_and_how_many_events_it_held_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        using var registered = await hub.Api.PostAsJsonAsync("/v1/listeners", new
        {
            name = "filtered-page",
            events = new[] { "filtered-page.#" },
            delivery = new { type = "webhook", url = receiver.Url },
            filter = new Dictionary<string, object> { ["payload.ip"] = new Dictionary<string, object> { ["$cidr"] = "2001:db8::/32" } },
            redact = new { preset = "auth0-pii", mode = "hash" },
        }, cancellationToken);
        registered.EnsureSuccessStatusCode();
        var listenerId = (await registered.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<string>();
        await hub.EmitAsync("filtered-page.login", new { ip = "192.0.2.1" });
        await Eventually.UntilAsync(
            async () => (await hub.Api.GetFromJsonAsync<JsonObject>($"/v1/listeners/{listenerId}", cancellationToken))!["filtered"]!.GetValue<long>(),
            n => n == 1,
            what: "the event held back by the filter");

        var page = await hub.PageAsync();
        await page.GotoAsync($"/ui/listeners/{listenerId}");
        await Expect(page.Locator("[data-filter]")).ToContainTextAsync("2001:db8::/32");
        await Expect(page.GetByText("1 held back")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-redact]")).ToContainTextAsync("auth0-pii");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_paused_listener_shows_since_when_and_its_last_error_and_resumes_from_its_button()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 503;
        using var registered = await hub.Api.PostAsJsonAsync("/v1/listeners", new
        {
            name = "paused-page",
            events = new[] { "paused-page.#" },
            delivery = new { type = "webhook", url = receiver.Url },
            retry = new { maxAttempts = 1 },
        }, cancellationToken);
        registered.EnsureSuccessStatusCode();
        var listenerId = (await registered.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<string>();
        for (var i = 0; i < 3; i++)
            await hub.EmitAsync("paused-page.failed", new { i });
        await Eventually.UntilAsync(
            async () => (await hub.Api.GetFromJsonAsync<JsonObject>($"/v1/listeners/{listenerId}", cancellationToken))!["state"]!.GetValue<string>(),
            state => state == "paused",
            what: "the listener paused");

        var page = await hub.PageAsync();
        await page.GotoAsync($"/ui/listeners/{listenerId}");
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("paused");
        await Expect(page.Locator("[data-health]")).ToContainTextAsync("HTTP 503");
        receiver.DefaultStatus = 200;
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("active");
        Assert.Equal("active", (await hub.Api.GetFromJsonAsync<JsonObject>($"/v1/listeners/{listenerId}", cancellationToken))!["state"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Auth0_page_counts_entries_and_unrecognized_ones_by_reason_and_says_backfill_is_not_enabled()
    {
        using var content = JsonContent.Create(new JsonArray(
            new JsonObject { ["log_id"] = "90020261125000000000000001", ["data"] = new JsonObject { ["type"] = "f", ["date"] = "2026-11-25T08:00:00Z", ["tenant_name"] = "example" } },
            new JsonObject { ["log_id"] = "90020261125000000000000002", ["data"] = new JsonObject { ["date"] = "2026-11-25T08:00:01Z" } }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = content };
        request.Headers.Authorization = new("Bearer", "auth0-token");
        (await hub.Api.SendAsync(request, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        using var refused = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent("[]") };
        refused.Headers.Authorization = new("Bearer", "wrong-token");
        Assert.Equal(401, (int)(await hub.Api.SendAsync(refused, TestContext.Current.CancellationToken)).StatusCode);

        var page = await hub.PageAsync();
        await page.GotoAsync("/ui/auth0");
        await Expect(page.Locator(".card", new() { HasText = "Last entry received" })).ToContainTextAsync("s ago");
        await Expect(page.Locator("tr", new() { HasText = "missing_type" })).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"missing_type\s*[1-9]"));
        await Expect(page.Locator("tr", new() { HasText = "unauthorized" })).ToBeVisibleAsync();
        await Expect(page.Locator(".card", new() { HasText = "Backfill" })).ToContainTextAsync("Entries arrive only through the Log Stream");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Security_page_lists_the_hubs_own_alerts_from_the_event_log()
    {
        var alert = await hub.RaiseBruteForceAlertAsync("auth0|dashboard-brute-force");
        var page = await hub.PageAsync();
        await page.GotoAsync("/ui/security");
        await Expect(page.Locator($"tr[data-id='{alert}']")).ToContainTextAsync("security.brute_force.detected");
        await Expect(page.Locator("tr[data-rule='push_notification_fatigue']")).ToContainTextAsync("Auth0.PushNotification.Fatigue");
        await Expect(page.Locator("tr[data-rule='push_notification_fatigue']")).ToContainTextAsync("event_count");
        await Expect(page.Locator("tr[data-rule='push_notification_fatigue_entries']")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
