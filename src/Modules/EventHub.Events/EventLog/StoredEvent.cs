using EventHub.Storage;

namespace EventHub.Events.EventLog;

/// <summary>One row of the event log. Times are Unix microseconds so both databases store and compare them the same way.</summary>
internal sealed record StoredEvent(long Seq, string Id, string Name, string Source, long OccurredAt, long ReceivedAt, string Payload)
{
    public DateTimeOffset OccurredAtTime => UnixMicros.ToTime(OccurredAt);

    public DateTimeOffset ReceivedAtTime => UnixMicros.ToTime(ReceivedAt);
}
