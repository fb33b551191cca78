using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using EventHub.Storage;

namespace EventHub.Listeners.Delivery;

/// <summary>
/// Deletes settled delivery records and their attempts (which hold the events' payloads, personal data included) older
/// than <c>EventHub__Listeners__RetentionDays</c>, at startup and then hourly. Records still pending or retrying are
/// kept whatever their age: deleting them would lose a delivery. Idempotent, so every copy runs it.
/// </summary>
internal sealed class DeliveryRetention(DeliveryStore store, Database database, IOptions<ListenersOptions> options, TimeProvider time, ILogger<DeliveryRetention> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A first pass while the database is still coming up would fail and wait the whole hour, keeping personal data that long.
        await database.Status.WaitUntilReadyAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var deleted = await store.DeleteSettledBeforeAsync(UnixMicros.From(time.GetUtcNow().AddDays(-options.Value.RetentionDays)), stoppingToken);
                if (deleted > 0)
                    logger.LogInformation("Retention: deleted {Deliveries} delivery records older than {Days} days", deleted, options.Value.RetentionDays);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Delivery retention failed ({Error}); it runs again in {Interval}", e.GetType().Name, Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
