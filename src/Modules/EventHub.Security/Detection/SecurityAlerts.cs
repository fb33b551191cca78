using System.Text.Json;
using EventHub.Contracts.Security;

namespace EventHub.Security.Detection;

/// <summary>
/// Alerts are hub events published as their own contracts (<see cref="ISecurityAlert"/>): the event log stores them and
/// listeners on <c>security.#</c> receive them with <see cref="EventHub.Contracts.IHubEvent.Payload"/>, whose shape
/// predates the typed records and is kept. The event id is deterministic, so a repeated alert is the same event.
/// </summary>
internal static class SecurityAlerts
{
    public const string Source = "eventhub.security";
    public const string BruteForce = BruteForceDetected.EventName;
    public const string CredentialStuffing = CredentialStuffingDetected.EventName;
    public const string BreachedPassword = BreachedPasswordDetected.EventName;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Payload(object payload) => JsonSerializer.Serialize(payload, Json);

    public static BruteForceDetected WithPayload(BruteForceDetected alert) => alert with
    {
        Payload = Payload(new
        {
            user = alert.User,
            source = alert.LogSource,
            count = alert.Count,
            first = alert.First,
            last = alert.Last,
            ips = alert.Ips,
            codes = alert.Codes,
            logIds = alert.LogIds,
            threshold = alert.Threshold,
            window = alert.Window.ToString("c"),
        }),
    };

    public static CredentialStuffingDetected WithPayload(CredentialStuffingDetected alert) => alert with
    {
        Payload = Payload(new
        {
            ip = alert.Ip,
            source = alert.LogSource,
            userCount = alert.UserCount,
            users = alert.Users,
            count = alert.Count,
            first = alert.First,
            last = alert.Last,
            codes = alert.Codes,
            logIds = alert.LogIds,
            threshold = alert.Threshold,
            window = alert.Window.ToString("c"),
        }),
    };

    public static BreachedPasswordDetected WithPayload(BreachedPasswordDetected alert) => alert with
    {
        Payload = Payload(new
        {
            user = alert.User,
            source = alert.LogSource,
            day = alert.Day,
            code = alert.Code,
            at = alert.OccurredAt,
            ip = alert.Ip,
            logId = alert.LogIds[0],
        }),
    };
}
