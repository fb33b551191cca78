using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventHub.Auth0.Backfill;

/// <summary>
/// Whether the backfill can pull: Unhealthy when Auth0 rejects the credentials, Degraded when it cannot be reached.
/// Not tagged "ready": a broken pull must not take the copy out of the load balancer, the webhook still works there.
/// </summary>
internal sealed class BackfillHealthCheck(ManagementApi api) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await api.GetTokenAsync(cancellationToken);
            return HealthCheckResult.Healthy("Management API token obtained");
        }
        catch (ManagementApiException e) when (e.CredentialsRejected)
        {
            return HealthCheckResult.Unhealthy(e.Message + "; backfill cannot pull, the Log Streams webhook is unaffected");
        }
        catch (Exception e) when ((e is ManagementApiException or HttpRequestException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"the Management API could not be reached ({(e as ManagementApiException)?.Message ?? e.GetType().Name})");
        }
    }
}
