namespace EventHub.Contracts.Auth0;

/// <summary>
/// Any Auth0 tenant log entry. Subscribe to this to receive every entry; subscribe to a filter-group
/// interface (e.g. <see cref="IAuth0LoginFailure"/>) or one code's record (e.g. <see cref="Auth0FailedLogin"/>) for less.
/// The entry's full <c>data</c> object stays available, byte for byte, in <see cref="IHubEvent.Payload"/>; the typed
/// <c>data</c> fields are generated from <c>Auth0LogFields.tsv</c> (<c>Auth0LogEntry.g.cs</c>).
/// </summary>
public partial interface IAuth0LogEvent : IHubEvent
{
    /// <summary>The Auth0 log type code (<c>data.type</c>), e.g. <c>f</c>, <c>s</c>, <c>pwd_leak</c>.</summary>
    string Type { get; }

    /// <summary>The Auth0 filter group of <see cref="Type"/>, e.g. <c>auth.login.fail</c>; <c>other</c> for unknown codes.</summary>
    string Group { get; }
}
