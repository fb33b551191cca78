using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventHub.Host.Bus;

/// <summary>
/// Readiness of the bus for the load balancer. MassTransit counts every stopped receive endpoint as degraded, but the
/// Listeners module stops a listener's endpoint on purpose: a pull listener with no stream open on this copy, or a
/// disabled listener; and the dashboard stops its live feed's endpoint while no live page watches. Counted, one idle pull
/// listener took every copy out of the load balancer for good. So those endpoints, when stopped, are left out; one that
/// faulted, and every other endpoint, still count.
/// </summary>
internal sealed class BusReadinessCheck(IBusControl bus) : IHealthCheck
{
    public const string Name = "masstransit-bus";
    static readonly string[] StoppedOnPurpose = ["eventhub.listener.", "live-feed-"];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        var counted = health.Endpoints.Where(e => !IsStoppedListener(e.Key, e.Value)).ToList();
        var unhealthy = counted.Where(e => e.Value.Status == BusHealthStatus.Unhealthy).Select(e => e.Key).ToList();
        var degraded = counted.Where(e => e.Value.Status == BusHealthStatus.Degraded).Select(e => e.Key).ToList();
        if (counted.Count == 0 && health.Status != BusHealthStatus.Healthy)
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, health.Description));
        if (unhealthy.Count > 0)
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, $"Unhealthy Endpoints: {string.Join(", ", unhealthy)}"));
        return Task.FromResult(degraded.Count > 0
            ? HealthCheckResult.Degraded($"Degraded Endpoints: {string.Join(", ", degraded)}")
            : HealthCheckResult.Healthy("Ready"));
    }

    /// <summary>Endpoints are keyed by input address (<c>rabbitmq://host/vhost/queue</c>, <c>loopback://localhost/queue</c>).</summary>
    static bool IsStoppedListener(string address, EndpointHealthResult result) =>
        StoppedOnPurpose.Any(prefix => address[(address.LastIndexOf('/') + 1)..].StartsWith(prefix, StringComparison.Ordinal))
        && result.Status == BusHealthStatus.Degraded
        && result.Description?.StartsWith("stopped", StringComparison.Ordinal) == true;
}
