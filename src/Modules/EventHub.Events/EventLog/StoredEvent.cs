namespace EventHub.Events.EventLog;

/// <summary>One row of the event log. Times are Unix microseconds so both databases store and compare them the same way.</summary>
internal sealed record StoredEvent(long Seq, string Id, string Name, string Source, long OccurredAt, long ReceivedAt, string Payload)
{
    public DateTimeOffset OccurredAtTime => FromMicroseconds(OccurredAt);

    public DateTimeOffset ReceivedAtTime => FromMicroseconds(ReceivedAt);

    public static DateTimeOffset FromMicroseconds(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
