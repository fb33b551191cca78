namespace EventHub.Contracts.Auth0.EventStreams;

/// <summary>
/// Any event of an Auth0 Event Stream (a CloudEvent such as <c>user.created</c> or <c>organization.member.added</c>).
/// Subscribe to this for every change, to a group interface (<see cref="IAuth0UserChange"/>) or to one record
/// (<see cref="Auth0UserCreated"/>) for less. Named <c>auth0.events.&lt;type&gt;</c>; <see cref="IHubEvent.EventId"/> is
/// the CloudEvents <c>id</c> (<c>evt_...</c>) and <see cref="IHubEvent.Payload"/> the whole CloudEvent as Auth0 sent it.
/// Auth0 may deliver an event twice and events out of order: de-duplicate on the event id and compare <see cref="Time"/>
/// (latest wins) before applying a change to a projection.
/// </summary>
public interface IAuth0ChangeEvent : IHubEvent
{
    /// <summary>The CloudEvents <c>type</c>, e.g. <c>user.created</c>.</summary>
    string Type { get; }

    /// <summary>The CloudEvents <c>time</c>: when the change happened in Auth0 (also <see cref="IHubEvent.OccurredAt"/>). Order changes by it, not by arrival.</summary>
    DateTimeOffset Time { get; }

    /// <summary>The <c>a0tenant</c> extension attribute: the Auth0 tenant, e.g. <c>my-tenant</c>.</summary>
    string? Tenant { get; }

    /// <summary>The <c>a0stream</c> extension attribute: the id of the event stream that delivered it (<c>est_...</c>).</summary>
    string? Stream { get; }

    /// <summary>The <c>a0purpose</c> extension attribute; absent for real changes, <c>test</c> for a stream's test event.</summary>
    string? Purpose { get; }

    /// <summary>Whether <see cref="Purpose"/> is <c>test</c>: sent by the stream's test button, not a real change. Routed like the rest.</summary>
    bool IsTest { get; }

    /// <summary>The CloudEvents <c>source</c>, e.g. <c>urn:auth0:my-tenant.us.auth0.com</c>. (<see cref="IHubEvent.Source"/> is <c>auth0:&lt;tenant&gt;</c>.)</summary>
    string CloudEventSource { get; }

    /// <summary><c>data.object</c> as raw JSON (the user, the organization, the membership...); <c>null</c> when the event has none.</summary>
    string Data { get; }

    /// <summary><c>data.object.user_id</c>, or <c>data.object.user.user_id</c> for membership events; null when there is none.</summary>
    string? UserId { get; }

    /// <summary><c>data.object.id</c> of an organization event, or <c>data.object.organization.id</c>; null when there is none.</summary>
    string? OrganizationId { get; }
}
