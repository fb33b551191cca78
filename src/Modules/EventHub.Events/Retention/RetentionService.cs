using EventHub.Events.Emit;
using EventHub.Events.EventLog;
using EventHub.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Events.Retention;

/// <summary>
/// Deletes events older than the retention and emitted ids older than the idempotency window, at startup and then on
/// every interval. Deleting is idempotent, so every host copy may run it.
/// </summary>
internal sealed class RetentionService(
    EventLogStore events,
    EmittedIds emittedIds,
    IOptions<RetentionOptions> retention,
    IOptions<EventsOptions> emit,
    Database database,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Status.WaitUntilReadyAsync(stoppingToken);
        using var timer = new PeriodicTimer(retention.Value.Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Retention pass failed ({Error}); it runs again in {Interval}", e.GetType().Name, retention.Value.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deleted = await events.DeleteReceivedBeforeAsync(now.AddDays(-retention.Value.Days), cancellationToken);
        var forgotten = await emittedIds.ForgetOlderThanAsync(now - emit.Value.IdempotencyWindow, cancellationToken);
        if (deleted > 0 || forgotten > 0)
            logger.LogInformation("Retention: deleted {Events} events older than {Days} days and {Ids} emitted ids", deleted, retention.Value.Days, forgotten);
    }
}
