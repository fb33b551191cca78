using EventHub.Contracts.Auth0;

namespace EventHub.Security.Rules;

/// <summary>The top-level <c>data</c> fields the ingress already read into the typed entry, as the rules name them.</summary>
internal static class TypedFields
{
    public static Dictionary<string, string?> Of(IAuth0LogEvent entry) => new(StringComparer.Ordinal)
    {
        ["description"] = entry.Description,
        ["client_id"] = entry.ClientId,
        ["client_name"] = entry.ClientName,
        ["connection"] = entry.Connection,
        ["user_id"] = entry.UserId,
        ["user_name"] = entry.UserName,
        ["ip"] = entry.Ip,
        ["user_agent"] = entry.UserAgent,
        ["hostname"] = entry.Hostname,
    };
}
