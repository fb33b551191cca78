using EventHub.Composition.Retry;
using MassTransit;

namespace EventHub.Security.Detection;

internal static class SecurityEndpoint
{
    /// <summary>
    /// Two host copies (or two messages in one) that load the same instance cannot both save it: the loser gets a
    /// <see cref="ConcurrencyException"/> and runs again on the fresh instance (<see cref="RetryPolicies.DetectionConflicts"/>).
    /// Alerts are published, confirmed, after every instance is saved, so a run that loses publishes nothing. See docs/adr/0005.
    /// </summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, int concurrentMessageLimit)
    {
        // Enough to fill one batch; the batches themselves run one at a time per copy (EvaluateRulesConsumerDefinition).
        endpoint.ConcurrentMessageLimit = concurrentMessageLimit;
        RetryPolicies.From(context).UseForDetections(endpoint);
    }
}
