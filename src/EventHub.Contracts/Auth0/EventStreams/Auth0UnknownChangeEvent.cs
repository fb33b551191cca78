namespace EventHub.Contracts.Auth0.EventStreams;

/// <summary>
/// An Auth0 Event Streams event whose <c>type</c> the hub does not know (Auth0 adds types over time). Named
/// <c>auth0.events.&lt;type&gt;</c> like the others and published with its raw <see cref="IAuth0ChangeEvent.Data"/>, never dropped.
/// </summary>
public sealed record Auth0UnknownChangeEvent : Auth0Change
{
    /// <summary>Creates an empty event.</summary>
    public Auth0UnknownChangeEvent()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0UnknownChangeEvent(Auth0Change change)
        : base(change)
    {
    }
}
