using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventHub.Storage.Sagas;

/// <summary>
/// Deletes saga instances whose expiry has passed, every minute on every host copy (a DELETE with a condition: copies
/// racing each other delete nothing twice). An instance being saved at that moment wins or loses on its version.
/// </summary>
public sealed class ExpiredSagaCleanup(Database database, TimeProvider time, ILogger<ExpiredSagaCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sagas WHERE expires_at IS NOT NULL AND expires_at < @now",
            new { now = UnixMicros.From(time.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Status.WaitUntilReadyAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await DeleteExpiredAsync(stoppingToken);
                if (deleted > 0)
                    logger.LogInformation("Deleted {Count} expired saga instances", deleted);
            }
            catch (DbException e)
            {
                logger.LogWarning("Could not delete expired saga instances ({Error}); trying again in {Interval}", e.GetType().Name, Interval);
            }
        }
    }

}
