using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventHub.Dashboard.Tests;

/// <summary>A replay started from a listener's page in real headless Chromium, its progress followed without a reload.</summary>
public sealed class ReplayPageTests(DashboardHub hub)
{
    [Fact]
    public async Task A_replay_started_from_the_listener_page_shows_its_progress_bar_filling_to_done()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        using var registered = await hub.Api.PostAsJsonAsync("/v1/listeners", new { name = "replay-page", events = new[] { "replay-page.#" }, delivery = new { type = "webhook", url = receiver.Url } }, cancellationToken);
        registered.EnsureSuccessStatusCode();
        var listenerId = (await registered.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<string>();
        for (var i = 0; i < 6; i++)
            await hub.EmitAsync("replay-page.order", new { i });
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count), n => n >= 6, what: "the live deliveries");
        // A slow receiver keeps the job running for a few seconds, so the bar is seen moving rather than only full.
        receiver.Delay = TimeSpan.FromMilliseconds(500);

        var page = await hub.PageAsync();
        await page.GotoAsync($"/ui/listeners/{listenerId}");
        // Minutes only: Chromium shows a datetime-local value with ":00" seconds without them, and Playwright's fill
        // calls the value it reads back different from the one it typed ("Malformed value") once a minute.
        await page.GetByLabel("From (UTC)").FillAsync(DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.GetByLabel("Events").FillAsync("replay-page.order");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay", Exact = true }).ClickAsync();

        var job = page.Locator("li[data-job]").First;
        await Expect(job.Locator("[data-state]")).ToHaveTextAsync("done");
        await Expect(job.Locator("progress")).ToHaveJSPropertyAsync("value", 1);
        await Expect(job.Locator("[data-counts]")).ToHaveTextAsync("6 matched, 6 delivered, 0 failed");
        Assert.Equal(12, receiver.Received.Count);
        await page.Context.CloseAsync();
    }
}
