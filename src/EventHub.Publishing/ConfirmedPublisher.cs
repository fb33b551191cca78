using EventHub.Contracts;
using MassTransit;

namespace EventHub.Publishing;

/// <summary>
/// Publishes the events of one request side by side and waits, for a bounded time, until the broker has confirmed every
/// one: the one path by which every ingress makes an entry durable before it answers 2xx (docs/adr/0021), and by which
/// the hub publishes its own events (alerts, listener health). Each hub event goes out on its own (<see cref="IHubEventWire"/>),
/// for listeners and typed consumers, and all of them once more as one <see cref="HubEventBatch"/>, which is all the hub's own consumers
/// read (docs/adr/0031). Failures are counted in <see cref="PublishFailures"/>, which the host's watchdog reads.
/// </summary>
public sealed class ConfirmedPublisher
{
    // A batch message stays far below the broker's largest message (16 MiB by default in RabbitMQ 4), and the messages a
    // consumer holds prefetched stay small in memory: at most ~0.7 MB of real Auth0 entries each.
    const int MostEventsPerBatch = 500;

    // MassTransit answers CheckHealth by asking every receive endpoint (one per listener) and building a dictionary of the
    // answers keyed by address: on every publish, that cost grew with the number of listeners. A status this old is good
    // enough to refuse without waiting; a publish on a bus that failed since still ends at the confirm timeout.
    static readonly TimeSpan HealthCheckedEvery = TimeSpan.FromMilliseconds(100);

    readonly IBusControl bus;
    readonly IHubEventWire wire;
    readonly PublishFailures failures;
    readonly TimeProvider time;
    readonly WriteBatcher<HubEventBatch, bool> batches;
    long healthCheckDue;
    volatile bool busUnhealthy;

    public ConfirmedPublisher(IBusControl bus, IHubEventWire wire, PublishFailures failures, TimeProvider time)
    {
        this.bus = bus;
        this.wire = wire;
        this.failures = failures;
        this.time = time;
        // The batches of publishes made side by side (8 emits at once, say) go out as one message: what queues while one
        // is on its way to the broker goes in the next, with no timer, so a lone publish waits for nothing.
        batches = new WriteBatcher<HubEventBatch, bool>(PublishBatchesAsync, batch => batch.Auth0.Count + batch.Others.Count, MostEventsPerBatch);
    }

    /// <summary>
    /// How long a publish runs on after its caller stopped waiting. MassTransit declares a message type's exchanges on a
    /// channel's first publish of that type, under that publish's token; a declare canceled there leaves the type
    /// unpublishable on that channel for good (8.5: OneTimeContextPayload keeps the failed setup and parks every later
    /// setup behind it; RabbitMqSendTransportContext.Send evicts it only when basic.publish fails). On a loaded broker a
    /// declare can outlast a confirm timeout: a copy restarted mid-stream then never published again until the
    /// watchdog stopped it (ClusterFaultTests, 2 of 2 runs; ADR 0011's addendum). Twenty seconds is far beyond a slow
    /// declare and still frees a stranded publish's lock (below) well before the watchdog's one-minute limit.
    /// </summary>
    public static readonly TimeSpan MinimumAbandonAfter = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Confirmed when the broker confirmed every message; refused, without waiting, when the bus is unhealthy, or when one
    /// is not confirmed within <paramref name="confirmTimeout"/> (the publishes still in flight are abandoned after
    /// <see cref="MinimumAbandonAfter"/>, or the confirm timeout if longer).
    /// <paramref name="cancellationToken"/> only stops the wait (the caller went away) and then throws.
    /// </summary>
    public async Task<Confirmation> PublishAsync(IReadOnlyList<object> messages, TimeSpan confirmTimeout, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
            return Confirmation.Confirmed;
        if (BusUnhealthy())
            return new Confirmation("the bus is unhealthy");

        // Abandoned, not merely no longer waited for: RabbitMQ.Client 7.2.2 (the newest on NuGet) holds a channel's
        // confirm lock while a publish waits for room in the connection's write buffer. When the socket dies mid-stream
        // the buffer's writer is gone, the publish waits forever, the channel's shutdown waits forever for the lock, and
        // MassTransit is never told the connection closed: it never reconnects, and every later publish and consumer
        // acknowledgement waits too (rabbitmq-dotnet-client#1930, fixed upstream after 7.2.2; broker-restart fault
        // test). Canceling the stranded publishes frees the lock. A publish canceled after reaching the broker is a
        // duplicate at worst: the sender got no 2xx and sends it again with the same id. Abandoned only well after the
        // caller got its answer, though (MinimumAbandonAfter).
        // Side by side: RabbitMQ.Client 7 tracks each confirm by sequence number, so the whole batch is on the wire
        // before the first confirm is awaited (MassTransit 8.5's RabbitMQ batch-publish settings are read by nothing).
        var abandon = new CancellationTokenSource(confirmTimeout > MinimumAbandonAfter ? confirmTimeout : MinimumAbandonAfter);
        var batch = HubEventBatch.Of(messages);
        var batched = batch.Auth0.Count + batch.Others.Count > 0;
        var publishes = new Task[messages.Count + (batched ? 1 : 0)];
        for (var i = 0; i < messages.Count; i++)
            publishes[i] = wire.PublishAsync(messages[i], batched, abandon.Token);
        if (batched)
            publishes[^1] = batches.WriteAsync(batch);
        var all = Task.WhenAll(publishes);
        _ = all.ContinueWith(static (_, source) => ((CancellationTokenSource)source!).Dispose(), abandon, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await all.WaitAsync(confirmTimeout, cancellationToken);
            failures.Confirmed();
            return Confirmation.Confirmed;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            failures.Failed();
            return new Confirmation($"the broker did not confirm ({e.GetType().Name})");
        }
    }

    bool BusUnhealthy()
    {
        var now = time.GetTimestamp();
        if (now >= Volatile.Read(ref healthCheckDue))
        {
            // Two publishes at the due time may both ask: harmless.
            busUnhealthy = bus.CheckHealth().Status == BusHealthStatus.Unhealthy;
            Volatile.Write(ref healthCheckDue, now + (long)(HealthCheckedEvery.TotalSeconds * time.TimestampFrequency));
        }

        return busUnhealthy;
    }

    async Task<IReadOnlyList<bool>> PublishBatchesAsync(IReadOnlyList<HubEventBatch> queued)
    {
        var batch = queued.Count == 1 ? queued[0] : new HubEventBatch { Auth0 = [.. queued.SelectMany(b => b.Auth0)], Others = [.. queued.SelectMany(b => b.Others)] };
        using var abandon = new CancellationTokenSource(MinimumAbandonAfter);
        await bus.Publish(batch, abandon.Token);
        return [.. queued.Select(_ => true)];
    }
}
