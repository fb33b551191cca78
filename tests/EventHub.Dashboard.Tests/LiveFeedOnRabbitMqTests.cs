using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Dashboard.Tests;

/// <summary>
/// On a real broker every host copy has its own temporary live-feed queue bound <c>#</c> to <c>eventhub.events</c>, so an
/// event emitted through one copy reaches the live pages of all of them, and the queue goes away with its copy.
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
        var bindings = await _node!.ListBindingsAsync();
        Assert.Equal(2, bindings.Count(b => b.Source == "eventhub.events" && b.Destination.StartsWith("live-feed-", StringComparison.Ordinal) && b.RoutingKey == "#"));

        using var onFirst = new UiSession(first.BaseAddress);
        using var onSecond = new UiSession(second.BaseAddress);
        await onFirst.LoginAsync(DashboardHub.ViewerKey);
        await onSecond.LoginAsync(DashboardHub.ViewerKey);
        await using var firstStream = await SseStream.OpenAsync(onFirst.Http, "/ui/stream?name=rabbit.%23");
        await using var secondStream = await SseStream.OpenAsync(onSecond.Http, "/ui/stream?name=rabbit.%23");

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
            async () => (await _node.ListQueuesAsync()).Keys.Where(q => q.StartsWith("live-feed-", StringComparison.Ordinal)).ToList(),
            queues => queues.Count < 2,
            what: "the exited copy's live-feed queue to go");
        Assert.Single(liveFeeds);
    }
}
