using System.Text.Json;
using EventHub.Contracts.Auth0;

namespace EventHub.Security.Tests;

/// <summary>Typed Auth0 entries as the ingress publishes them, with what the detections read.</summary>
internal static class Entries
{
    public const string Source = "auth0:example-tenant";
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static Auth0LogEntry Failure(DateTimeOffset at, string user = "auth0|alice", string ip = "203.0.113.7", string code = "f", string? logId = null) =>
        Create(code, at, user, ip, logId);

    public static Auth0LogEntry Success(DateTimeOffset at, string user = "auth0|alice", string ip = "203.0.113.7", string? logId = null) =>
        Create("s", at, user, ip, logId);

    public static Auth0LogEntry Create(string code, DateTimeOffset at, string? user, string? ip, string? logId = null)
    {
        var type = Auth0LogTypes.ByCode[code];
        var userName = user is null ? null : user.Replace("auth0|", "", StringComparison.Ordinal) + "@example.com";
        return type.Create(new Auth0FailedLogin
        {
            EventId = logId ?? "900" + Guid.NewGuid().ToString("N")[..20],
            Name = type.EventName,
            Source = Source,
            OccurredAt = at,
            ReceivedAt = at,
            // The data object as Auth0 sends it, for the Sigma rules (the state machines read the typed fields).
            Payload = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["date"] = at,
                ["type"] = code,
                ["connection"] = "Username-Password-Authentication",
                ["user_id"] = user,
                ["user_name"] = userName,
                ["ip"] = ip,
            }),
            Type = code,
            Group = type.Group,
            Tenant = "example-tenant",
            Connection = "Username-Password-Authentication",
            UserId = user,
            UserName = userName,
            Ip = ip,
        });
    }
}
