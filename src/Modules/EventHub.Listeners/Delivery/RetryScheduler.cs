using EventHub.Listeners.Pull;
using EventHub.Listeners.Queues;
using EventHub.Storage;
using EventHub.Storage.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Delivery;

/// <summary>
/// Attempts due retries. The schedule lives in the database, so delays of hours need no broker plugin, hold nothing
/// in memory, survive restarts, and are shared by every copy (each due delivery is leased by one).
/// </summary>
internal sealed class RetryScheduler(
    DeliveryStore store,
    Deliverer deliverer,
    ListenerQueues endpoints,
    PullStreams streams,
    IOptions<ListenersOptions> options,
    Database database,
    TimeProvider time,
    ILogger<RetryScheduler> logger) : BackgroundService
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Status.WaitUntilReadyAsync(stoppingToken);
        // A pass runs every poll interval (half a second); while the database is away, every few seconds instead.
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        using var timer = new PeriodicTimer(options.Value.RetryPollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                backoff.Reset();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var delay = backoff.Next();
                logger.LogWarning("Retry pass failed ({Error}); it runs again in {Delay}", e.GetType().Name, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }

    async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await store.ClaimDueAsync(UnixMicros.From(now), UnixMicros.From(now + Lease), 50, streams.ListenersWithStreams(), cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (record, ct) =>
        {
            var listener = await endpoints.FindAsync(record.ListenerId, ct);
            if (listener is null || listener.State != Registry.Listener.Active)
                return;
            await deliverer.AttemptAsync(listener, record.Item, (int)record.Attempts, record.ReplayPending == 1, ct);
        });
    }
}
