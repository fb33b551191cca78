namespace EventHub.Auth0.EventStreams;

/// <summary>One validated CloudEvent of an Event Streams request, with the parts the hub types; <see cref="Raw"/> is its JSON as received.</summary>
internal sealed record CloudEvent(
    string Id,
    string Type,
    string Source,
    DateTimeOffset? Time,
    string? Tenant,
    string? Stream,
    string? Purpose,
    string Raw,
    string DataObject,
    string? UserId,
    string? OrganizationId);
