using System.Collections.Concurrent;
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
/// in memory, survive restarts, and are shared by every copy (each due delivery is leased by one). A lease is short and
/// renewed by its copy while the attempt runs (a pull attempt may wait minutes on its stream), so a retry in flight on a
/// copy that died is due again within seconds, not when a lease long enough for any attempt ends (docs/adr/0024).
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
    /// <summary>Three renewals fit in a lease: one renewal lost to a slow database does not hand the retry to another copy.</summary>
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(3);

    readonly ConcurrentDictionary<(string ListenerId, string EventId), bool> _attempting = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Status.WaitUntilReadyAsync(stoppingToken);
        await Task.WhenAll(PollAsync(stoppingToken), RenewAsync(stoppingToken));
    }

    async Task PollAsync(CancellationToken stoppingToken)
    {
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
        foreach (var record in due)
            _attempting[(record.ListenerId, record.EventId)] = true;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (record, ct) =>
        {
            try
            {
                var listener = await endpoints.FindAsync(record.ListenerId, ct);
                if (listener is null || listener.State != Registry.Listener.Active)
                    return;
                await deliverer.AttemptAsync(listener, record.Item, (int)record.Attempts, record.ReplayPending == 1, ct);
            }
            finally
            {
                _attempting.TryRemove((record.ListenerId, record.EventId), out _);
            }
        });
    }

    /// <summary>Extends the leases of the retries this copy holds, claimed or waiting for their turn, until it stops.</summary>
    async Task RenewAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RenewEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (_attempting.IsEmpty)
                continue;
            try
            {
                await store.RenewLeasesAsync([.. _attempting.Keys], UnixMicros.From(time.GetUtcNow() + Lease), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again; a lease that ends meanwhile lets another copy attempt the retry too (at least once).
                logger.LogWarning("Renewing retry leases failed ({Error})", e.GetType().Name);
            }
        }
    }
}
