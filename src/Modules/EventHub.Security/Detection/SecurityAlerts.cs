using System.Text.Json;
using EventHub.Contracts.Events;

namespace EventHub.Security.Detection;

/// <summary>
/// Alerts are ordinary hub events: published like an emitted event, so the event log stores them and listeners on
/// <c>security.#</c> receive them. The event id is deterministic, so a repeated alert is the same event.
/// </summary>
internal static class SecurityAlerts
{
    public const string Source = "eventhub.security";
    public const string BruteForce = "security.brute_force.detected";
    public const string CredentialStuffing = "security.credential_stuffing.detected";
    public const string BreachedPassword = "security.breached_password.detected";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static EmittedEvent Create(string name, string eventId, DateTimeOffset occurredAt, DateTimeOffset receivedAt, object payload) => new()
    {
        EventId = eventId,
        Name = name,
        Source = Source,
        OccurredAt = occurredAt,
        ReceivedAt = receivedAt,
        Payload = JsonSerializer.Serialize(payload, Json),
    };
}
