using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Dashboard.Tests;

/// <summary>
/// On a real broker every host copy has its own temporary live-feed queue bound <c>#</c> to <c>eventhub.events</c> while a
/// live page of it is open, so an event emitted through one copy reaches the live pages of all of them; the queue goes
/// away when its last page closes or its copy stops, so nothing fills it while nobody watches.
/// </summary>
public sealed class LiveFeedOnRabbitMqTests : IAsyncLifetime
{
    RabbitMqNode? _node;

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _node = await RabbitMqNode.StartAsync("eventhub-dashboard");

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
    }

    Dictionary<string, string> Settings(bool quorumQueues)
    {
        var settings = DashboardHub.Settings();
        settings["EventHub__Transport"] = "RabbitMq";
        settings["EventHub__RabbitMq__Host"] = _node!.Host;
        settings["EventHub__RabbitMq__Port"] = _node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["EventHub__Bus__StopTimeout"] = "00:00:02";
        // Durable queues become quorum queues then; the live feed's temporary queue cannot be one and stays classic.
        settings["EventHub__RabbitMq__QuorumQueues"] = quorumQueues.ToString();
        return settings;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_event_emitted_through_one_copy_streams_live_on_every_copy(bool quorumQueues)
    {
        await using var first = await HostProcess.StartAsync(Settings(quorumQueues));
        await using var second = await HostProcess.StartAsync(Settings(quorumQueues));
        await Task.WhenAll(first.WaitForOutputAsync("Bus started"), second.WaitForOutputAsync("Bus started"));
        Assert.Equal(0, await LiveFeedBindingsAsync());

        using var onFirst = new UiSession(first.BaseAddress);
        using var onSecond = new UiSession(second.BaseAddress);
        await onFirst.LoginAsync(DashboardHub.ViewerKey);
        await onSecond.LoginAsync(DashboardHub.ViewerKey);
        await using var firstStream = await SseStream.OpenAsync(onFirst.Http, "/ui/stream?name=rabbit.%23");
        await using var secondStream = await SseStream.OpenAsync(onSecond.Http, "/ui/stream?name=rabbit.%23");
        await LiveFeedBoundAsync(2, first, second);

        using var api = new HttpClient { BaseAddress = first.BaseAddress };
        api.DefaultRequestHeaders.Add("X-EventHub-Key", DashboardHub.AdminKey);
        using var emitted = await api.PostAsJsonAsync("/v1/events", new { name = "rabbit.live.seen", payload = new { n = 1 } }, Cancel);
        emitted.EnsureSuccessStatusCode();
        var id = (await emitted.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["ids"]![0]!.GetValue<string>();

        Assert.Equal(id, (await firstStream.NextEventAsync())["id"]!.GetValue<string>());
        Assert.Equal(id, (await secondStream.NextEventAsync())["id"]!.GetValue<string>());

        await second.TerminateAsync(TimeSpan.FromSeconds(30));
        // The broker deletes an exclusive queue after its connection is gone, not necessarily before the process exits.
        var liveFeeds = await Eventually.UntilAsync(
            async () => (await _node!.ListQueuesAsync()).Keys.Where(q => q.StartsWith("live-feed-", StringComparison.Ordinal)).ToList(),
            queues => queues.Count < 2,
            what: "the exited copy's live-feed queue to go");
        Assert.Single(liveFeeds);
    }

    [Fact]
    public async Task The_live_feed_is_bound_only_while_a_page_watches_and_again_when_one_comes_back()
    {
        await using var host = await HostProcess.StartAsync(Settings(quorumQueues: false));
        await host.WaitForOutputAsync("Bus started");
        using var session = new UiSession(host.BaseAddress);
        await session.LoginAsync(DashboardHub.ViewerKey);
        using var api = new HttpClient { BaseAddress = host.BaseAddress };
        api.DefaultRequestHeaders.Add("X-EventHub-Key", DashboardHub.AdminKey);
        Assert.Equal(0, await LiveFeedBindingsAsync());

        await using (var first = await SseStream.OpenAsync(session.Http, "/ui/stream"))
        await using (var second = await SseStream.OpenAsync(session.Http, "/ui/stream"))
        {
            await LiveFeedBoundAsync(1, host);
        }

        // Unwatched: emitted events reach the event log and every other queue, but no live-feed queue exists to fill.
        await Eventually.UntilAsync(LiveFeedBindingsAsync, count => count == 0, what: "the live feed's binding to go with its last page");
        (await api.PostAsJsonAsync("/v1/events", new { name = "rabbit.unwatched", payload = new { n = 1 } }, Cancel)).EnsureSuccessStatusCode();
        Assert.DoesNotContain((await _node!.ListQueuesAsync()).Keys, q => q.StartsWith("live-feed-", StringComparison.Ordinal));
        using (var ready = await api.GetAsync("/health/ready", Cancel))
            Assert.True(ready.IsSuccessStatusCode, $"readiness answered {(int)ready.StatusCode} with the live feed stopped");

        await using var again = await SseStream.OpenAsync(session.Http, "/ui/stream?name=rabbit.%23");
        await LiveFeedBoundAsync(1, host);
        using var emitted = await api.PostAsJsonAsync("/v1/events", new { name = "rabbit.watched.again", payload = new { n = 2 } }, Cancel);
        emitted.EnsureSuccessStatusCode();
        var id = (await emitted.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["ids"]![0]!.GetValue<string>();
        Assert.Equal(id, (await again.NextEventAsync())["id"]!.GetValue<string>());
    }

    /// <summary>A page says "connected" once its copy's endpoint is ready, or after a few seconds on a slow broker; the binding follows.</summary>
    async Task LiveFeedBoundAsync(int copies, params HostProcess[] hosts)
    {
        try
        {
            await Eventually.UntilAsync(LiveFeedBindingsAsync, count => count == copies, what: $"{copies} live-feed bindings");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{string.Join("\n---\n", hosts.Select(h => h.Output))}", e);
        }
    }

    async Task<int> LiveFeedBindingsAsync() =>
        (await _node!.ListBindingsAsync()).Count(b => b.Source == "eventhub.events" && b.Destination.StartsWith("live-feed-", StringComparison.Ordinal) && b.RoutingKey == "#");
}
