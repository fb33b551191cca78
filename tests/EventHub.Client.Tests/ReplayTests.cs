using System.Collections.Concurrent;
using EventHub.TestSupport;

namespace EventHub.Client.Tests;

/// <summary>The SDK's replay jobs and dead-letter selection against the real host on RabbitMQ and PostgreSQL.</summary>
public sealed class ReplayTests(ProductionHub hub) : IClassFixture<ProductionHub>
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_hand_the_handler_past_events_again_with_their_ids_through_a_replay_job()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);
        var handled = new ConcurrentQueue<string>();
        await using var subscription = await client.OnAsync("sdk.replay.*", (evt, ct) =>
        {
            handled.Enqueue(evt.Id);
            return Task.CompletedTask;
        }, cancellationToken: Cancel);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add(await client.EmitAsync("sdk.replay.done", new { i }, Cancel));
        await client.EmitAsync("sdk.replay.other", new { }, Cancel);
        foreach (var id in ids)
            await ClientWait.TransactionAsync(client, subscription.ListenerId, id, t => t.State == "succeeded", "the live delivery");
        // A replay reads the event log, which its own consumer writes apart from the listener's delivery.
        await Eventually.UntilAsync(
            async () =>
            {
                var stored = new List<string>();
                await foreach (var e in client.GetEventsAsync(new EventQuery { Name = "sdk.replay.done" }, Cancel))
                    stored.Add(e.Id);
                return stored;
            },
            stored => ids.All(stored.Contains),
            ClientWait.Limit,
            "the three events in the event log");

        var started = await client.StartReplayAsync(subscription.ListenerId, new ReplayRequest { From = DateTimeOffset.UtcNow.AddHours(-1), Events = ["sdk.replay.done"] }, Cancel);
        Assert.Equal(("replay", "running"), (started.Kind, started.State));
        var done = await Eventually.UntilAsync(() => client.GetReplayAsync(subscription.ListenerId, started.Id, Cancel), j => j.State != "running", ClientWait.Limit, "the replay job done");

        Assert.Equal(("done", 3, 3, 1.0), (done.State, done.Matched, done.Delivered, done.Progress));
        Assert.All(ids, id => Assert.Equal(2, handled.Count(h => h == id)));
        Assert.Equal(started.Id, Assert.Single(await client.GetReplaysAsync(subscription.ListenerId, Cancel)).Id);
        Assert.Equal("done", (await client.CancelReplayAsync(subscription.ListenerId, started.Id, Cancel)).State);
        Assert.Equal(0, await client.ReplayDeadLettersAsync(subscription.ListenerId, new DeadLetterSelection { Events = ["sdk.replay.#"], LastStatus = [500] }, Cancel));
        var refused = await Assert.ThrowsAsync<EventHubValidationException>(() => client.StartReplayAsync(subscription.ListenerId, new ReplayRequest { From = DateTimeOffset.UtcNow, To = DateTimeOffset.UtcNow.AddHours(-1) }, Cancel));
        Assert.Equal("to", refused.Field);
    }
}
