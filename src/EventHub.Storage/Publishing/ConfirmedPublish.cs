using MassTransit;

namespace EventHub.Storage.Publishing;

/// <summary>Publishes messages side by side and waits, for a bounded time, until the broker has confirmed every one.</summary>
public static class ConfirmedPublish
{
    // Monotonic milliseconds of the first failure since the last confirmed publish; 0 while publishing works.
    static long _failingSince;

    /// <summary>How long every publish has failed (zero when the last one was confirmed).</summary>
    public static TimeSpan FailingFor
    {
        get
        {
            var since = Interlocked.Read(ref _failingSince);
            return since == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Environment.TickCount64 - since);
        }
    }

    /// <summary>
    /// How long a publish runs on after its caller stopped waiting. MassTransit declares a message type's exchanges on a
    /// channel's first publish of that type, under that publish's token; a declare canceled there leaves the type
    /// unpublishable on that channel for good (8.5: OneTimeContextPayload keeps the failed setup and parks every later
    /// setup behind it; RabbitMqSendTransportContext.Send evicts it only when basic.publish fails). On a loaded broker a
    /// declare can outlast a confirm timeout: a copy restarted mid-stream then never published again until the
    /// watchdog stopped it (ClusterFaultTests, 2 of 2 runs). Twenty seconds is far beyond a slow declare and still frees
    /// a stranded publish's lock (below) well before the watchdog's one-minute limit.
    /// </summary>
    public static readonly TimeSpan MinimumAbandonAfter = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Completes when every message is confirmed; throws (a <see cref="TimeoutException"/>, a canceled or a broker
    /// exception) when one is not confirmed within <paramref name="confirmTimeout"/>; the publishes still in flight are
    /// abandoned after <see cref="MinimumAbandonAfter"/> (or the confirm timeout, if longer).
    /// <paramref name="cancellationToken"/> only stops the wait (the caller went away).
    /// </summary>
    public static async Task PublishAllAsync(this IPublishEndpoint publisher, IReadOnlyList<object> messages, TimeSpan confirmTimeout, CancellationToken cancellationToken)
    {
        // Abandoned, not merely no longer waited for: RabbitMQ.Client 7.2.2 (the newest on NuGet) holds a channel's
        // confirm lock while a publish waits for room in the connection's write buffer. When the socket dies mid-stream
        // the buffer's writer is gone, the publish waits forever, the channel's shutdown waits forever for the lock, and
        // MassTransit is never told the connection closed: it never reconnects, and every later publish and consumer
        // acknowledgement waits too (rabbitmq-dotnet-client#1930, fixed upstream after 7.2.2; broker-restart fault
        // test). Canceling the stranded publishes frees the lock. A publish canceled after reaching the broker is a
        // duplicate at worst: the sender got no 2xx and sends it again with the same id.
        // Abandoned only well after the caller got its answer, though (MinimumAbandonAfter).
        var abandon = new CancellationTokenSource(confirmTimeout > MinimumAbandonAfter ? confirmTimeout : MinimumAbandonAfter);
        var publishes = new Task[messages.Count];
        for (var i = 0; i < messages.Count; i++)
            publishes[i] = publisher.Publish(messages[i], abandon.Token);
        var all = Task.WhenAll(publishes);
        _ = all.ContinueWith(static (_, source) => ((CancellationTokenSource)source!).Dispose(), abandon, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await all.WaitAsync(confirmTimeout, cancellationToken);
            Interlocked.Exchange(ref _failingSince, 0);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _failingSince, Environment.TickCount64, 0);
            throw;
        }
    }
}
