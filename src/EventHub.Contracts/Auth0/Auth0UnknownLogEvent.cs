namespace EventHub.Contracts.Auth0;

/// <summary>
/// An Auth0 log entry whose <c>data.type</c> code is not in the hub's table (Auth0 adds codes over time).
/// Named <c>auth0.other.&lt;code&gt;</c>; the raw entry is in <see cref="IHubEvent.Payload"/>.
/// </summary>
public sealed record Auth0UnknownLogEvent : Auth0LogEntry
{
    /// <summary>Creates an empty entry.</summary>
    public Auth0UnknownLogEvent()
    {
    }

    /// <summary>Creates the entry holding <paramref name="values"/>.</summary>
    public Auth0UnknownLogEvent(in Auth0LogEntryValues values)
        : base(in values)
    {
    }
}
