namespace EventHub.Storage;

/// <summary>
/// How the hub's tables store a time: whole microseconds since the Unix epoch, UTC, in a 64-bit integer (the same in
/// SQLite and PostgreSQL, ordered and compared as numbers). The one conversion every store uses.
/// </summary>
public static class UnixMicros
{
    public static long From(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset ToTime(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    public static DateTimeOffset? ToTime(long? micros) => micros is { } value ? ToTime(value) : null;
}
