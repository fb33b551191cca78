using EventHub.Contracts.Auth0.EventStreams;

namespace EventHub.Auth0.EventStreams;

/// <summary>
/// Turns one validated CloudEvent into the record the hub publishes: the record of its type, or
/// <see cref="Auth0UnknownChangeEvent"/> for a type the table does not know. Never throws on content.
/// </summary>
internal static class Auth0ChangeMapper
{
    const int MaxNameLength = 255;
    const string TestPurpose = "test";

    // An early Auth0 page shows types as com.auth0.user.created; the schema says user.created. Both mean the same event.
    const string ReverseDnsPrefix = "com.auth0.";

    public static Auth0Change Map(CloudEvent cloudEvent, DateTimeOffset receivedAt)
    {
        var type = cloudEvent.Type.StartsWith(ReverseDnsPrefix, StringComparison.Ordinal) && Auth0ChangeTypes.Known.Contains(cloudEvent.Type[ReverseDnsPrefix.Length..])
            ? cloudEvent.Type[ReverseDnsPrefix.Length..]
            : cloudEvent.Type;
        // Without a time (CloudEvents makes it optional, Auth0 always sends it) the arrival is the best order there is.
        var time = cloudEvent.Time ?? receivedAt;
        var change = new Auth0UnknownChangeEvent
        {
            EventId = cloudEvent.Id,
            Name = NameOf(type),
            Source = "auth0:" + (string.IsNullOrWhiteSpace(cloudEvent.Tenant) ? "unknown" : cloudEvent.Tenant),
            OccurredAt = time,
            ReceivedAt = receivedAt,
            Payload = cloudEvent.Raw,
            Type = type,
            Time = time,
            Tenant = cloudEvent.Tenant,
            Stream = cloudEvent.Stream,
            Purpose = cloudEvent.Purpose,
            IsTest = string.Equals(cloudEvent.Purpose, TestPurpose, StringComparison.OrdinalIgnoreCase),
            CloudEventSource = cloudEvent.Source,
            Data = cloudEvent.DataObject,
            UserId = cloudEvent.UserId,
            OrganizationId = cloudEvent.OrganizationId,
        };
        return Auth0ChangeTypes.TryCreate(type, change, out var typed) ? typed : change;
    }

    /// <summary>
    /// <c>auth0.events.&lt;type&gt;</c>, with the type made safe for an event name and a routing key: lowercase,
    /// characters outside <c>[a-z0-9_-]</c> become <c>_</c>, empty words become <c>_</c>. Known types pass unchanged.
    /// </summary>
    public static string NameOf(string type)
    {
        var words = type.Split('.').Select(word =>
        {
            if (word.Length == 0)
                return "_";
            return string.Create(word.Length, word, (span, source) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    var c = char.ToLowerInvariant(source[i]);
                    span[i] = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' ? c : '_';
                }
            });
        });
        var name = Auth0Change.NamePrefix + string.Join('.', words);
        return name.Length <= MaxNameLength ? name : name[..MaxNameLength].TrimEnd('.');
    }
}
