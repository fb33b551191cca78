namespace EventHub.Contracts.Security;

/// <summary>
/// An alert the hub's Security module raised from Auth0 entries. Published as its own record type with its name
/// (<c>security.…</c>) as routing key on <c>eventhub.events</c>, so <c>IConsumer&lt;ISecurityAlert&gt;</c> receives every
/// alert, <c>IConsumer&lt;BruteForceDetected&gt;</c> one kind, and listeners on <c>security.#</c> get them as JSON.
/// <see cref="IHubEvent.EventId"/> is derived from what the alert is about: a repeated alert is the same event.
/// </summary>
public interface ISecurityAlert : IHubEvent
{
    /// <summary>The source of the Auth0 entries the alert is about, <c>auth0:&lt;tenant&gt;</c> (the payload's <c>source</c>).</summary>
    string LogSource { get; }

    /// <summary>The <c>log_id</c>s of the entries that raised the alert, oldest first.</summary>
    IReadOnlyList<string> LogIds { get; }
}
