using EventHub.Contracts.Auth0;

namespace EventHub.Security.Rules;

/// <summary>The top-level <c>data</c> fields the ingress already read into the typed entry, as the rules name them.</summary>
internal static class TypedFields
{
    static readonly HashSet<string> Names = new(["description", "client_id", "client_name", "connection", "user_id", "user_name", "ip", "user_agent", "hostname"], StringComparer.Ordinal);

    public static bool Has(string key) => Names.Contains(key);

    /// <summary>The typed value of <paramref name="key"/>; false when the entry has no typed field of that name.</summary>
    public static bool TryGet(IAuth0LogEvent entry, string key, out string? value)
    {
        value = key switch
        {
            "description" => entry.Description,
            "client_id" => entry.ClientId,
            "client_name" => entry.ClientName,
            "connection" => entry.Connection,
            "user_id" => entry.UserId,
            "user_name" => entry.UserName,
            "ip" => entry.Ip,
            "user_agent" => entry.UserAgent,
            "hostname" => entry.Hostname,
            _ => null,
        };
        return value is not null;
    }
}
