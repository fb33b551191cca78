using Dapper;
using EventHub.Storage.Startup;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventHub.Storage;

/// <summary>Unhealthy until the schema is in place, then whenever a query fails; the description is the error on one line.</summary>
internal sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{database.Provider} reachable");
        }
        catch (DatabaseUnavailableException e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} unreachable: {DatabaseErrors.Describe(e)}");
        }
    }
}
