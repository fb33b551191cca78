using EventHub.Contracts.Auth0;

namespace EventHub.Contracts;

/// <summary>
/// The events of one publish of the hub as one message, on <see cref="HubEventNames.Batches"/>: the unit of the hub's
/// own consumers (the event log, the detections), which read every event, so that an entry costs the broker one
/// message per request and not one delivery per consumer (docs/adr/0031). Each event is also published on its own on
/// <see cref="HubEventNames.Exchange"/>, unchanged, for listeners and typed consumers. Not an event itself.
/// </summary>
public sealed record HubEventBatch
{
    /// <summary>The Auth0 log entries, with every field of their records (rebuild one with <see cref="Auth0LogEntries"/>).</summary>
    public IReadOnlyList<Auth0LogEntryValues> Auth0 { get; init; } = [];

    /// <summary>Every other hub event (emitted, Event Streams changes, alerts, unrecognized entries).</summary>
    public IReadOnlyList<HubEventRecord> Others { get; init; } = [];

    /// <summary>Routing key of a batch that holds Auth0 entries.</summary>
    public const string WithAuth0 = "auth0";

    /// <summary>Routing key of a batch that holds none (emitted events, alerts, Event Streams changes).</summary>
    public const string WithoutAuth0 = "others";

    /// <summary>
    /// Its routing key on <see cref="HubEventNames.Batches"/>: a consumer that reads only the Auth0 entries
    /// (<see cref="IReadsAuth0EntriesOnly"/>) is bound to <see cref="WithAuth0"/> and is not handed the others.
    /// </summary>
    public string RoutingKey => Auth0.Count > 0 ? WithAuth0 : WithoutAuth0;

    /// <summary>The batch of <paramref name="events"/>; what is not a hub event is left out.</summary>
    public static HubEventBatch Of(IEnumerable<object> events)
    {
        var auth0 = new List<Auth0LogEntryValues>();
        var others = new List<HubEventRecord>();
        foreach (var e in events)
        {
            if (e is IAuth0LogEvent entry)
                auth0.Add(Auth0LogEntryValues.Of(entry));
            else if (e is IHubEvent other)
                others.Add(new HubEventRecord(other.EventId, other.Name, other.Source, other.OccurredAt, other.ReceivedAt, other.Payload));
        }

        return new HubEventBatch { Auth0 = auth0, Others = others };
    }

    /// <summary>The Auth0 entries as the records their codes are published as (an unknown code: <see cref="Auth0UnknownLogEvent"/>).</summary>
    public IEnumerable<Auth0LogEntry> Auth0LogEntries()
    {
        foreach (var values in Auth0)
            yield return values.Type is { } code && Auth0LogTypes.TryGet(code, out var type) ? type.Create(in values) : new Auth0UnknownLogEvent(in values);
    }

    /// <summary>Every event of the batch, Auth0 entries first.</summary>
    public IEnumerable<IHubEvent> Events() => Auth0LogEntries().Concat<IHubEvent>(Others);
}

/// <summary>A hub event's common fields, as a <see cref="HubEventBatch"/> carries an event that is not an Auth0 log entry.</summary>
public sealed record HubEventRecord(string EventId, string Name, string Source, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, string Payload) : IHubEvent;

/// <summary>
/// Marks a consumer of <see cref="HubEventBatch"/>es that reads only their Auth0 entries (the detections): on RabbitMQ its
/// queue is bound to the batches routed <see cref="HubEventBatch.WithAuth0"/>, so an emit costs it nothing. Any other
/// consumer of batches gets them all.
/// </summary>
public interface IReadsAuth0EntriesOnly;
