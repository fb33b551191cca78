using EventHub.Composition.Retry;
using MassTransit;

namespace EventHub.Security.Detection;

internal static class SecurityEndpoint
{
    /// <summary>
    /// Two host copies (or two messages in one) that load the same instance cannot both save it: the loser gets a
    /// <see cref="ConcurrencyException"/> and runs again on the fresh instance (<see cref="RetryPolicies.DetectionConflicts"/>).
    /// The outbox holds alerts until the instance is saved, so a run that loses publishes nothing. See docs/adr/0005.
    /// </summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, int concurrentMessageLimit = 1)
    {
        // Failed logins of a burst share one instance (one user, one IP): consumed concurrently in one copy they mostly
        // conflict, and the retries of a stream of them starved the host's CPU until ingress publishes timed out (the
        // RabbitMQ-restart fault test). One at a time per copy; copies still meet through the version check above.
        // The Sigma rules take a whole batch at once instead (EvaluateRulesConsumerDefinition).
        endpoint.ConcurrentMessageLimit = concurrentMessageLimit;
        RetryPolicies.From(context).UseForDetections(endpoint);
        // The outbox publishes after the saga's own scope has ended; a scope around it keeps the host's scoped publish
        // filter (which sets each event's MessageId and routing key) resolvable at that point.
        endpoint.UseMessageScope(context);
        endpoint.UseInMemoryOutbox(context);
    }
}
