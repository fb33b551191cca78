namespace EventHub.Contracts;

/// <summary>
/// Every event the hub carries, whether it came from Auth0 or was emitted by an application.
/// On RabbitMQ this contract's exchange is the topic exchange <c>eventhub.events</c> and the
/// routing key is <see cref="Name"/>, so one publish reaches typed consumers and pattern-bound queues.
/// </summary>
public interface IHubEvent
{
    /// <summary>Unique id of the event (the Auth0 <c>log_id</c> for Auth0 entries). Consumers de-duplicate on it: delivery is at least once.</summary>
    string EventId { get; }

    /// <summary>Lowercase dotted name, e.g. <c>auth0.auth.login.fail.f</c> or <c>order.placed</c>.</summary>
    string Name { get; }

    /// <summary>Where the event came from: <c>auth0:&lt;tenant&gt;</c> or the emitter's key name.</summary>
    string Source { get; }

    /// <summary>When the event happened, as its producer says.</summary>
    DateTimeOffset OccurredAt { get; }

    /// <summary>When the hub accepted the event.</summary>
    DateTimeOffset ReceivedAt { get; }

    /// <summary>The event's JSON payload, exactly as received (for Auth0 entries, the <c>data</c> object).</summary>
    string Payload { get; }
}
