using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EventHub.Contracts.Auth0;

namespace EventHub.Cli.Auth0;

/// <summary>
/// Log Streams records (<c>{log_id, data}</c>) shaped like a tenant's, one per requested type code, built from the
/// contracts' type table: the code's title as description, a login-shaped context for auth codes. Example values only
/// (documentation IP range, example.com), so they never look like a real person's data.
/// </summary>
internal static class SampleLogEntries
{
    public static JsonObject Record(Auth0LogType type, DateTimeOffset date, string tenant)
    {
        var logId = "900" + date.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + RandomNumberGenerator.GetHexString(16, lowercase: true);
        var data = new JsonObject
        {
            ["date"] = date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["type"] = type.Code,
            ["description"] = type.Title,
            ["client_id"] = "k3Vz8Qp1Lm5Xr9Tb2Wc7Yd4Fg6Hj0Ns",
            ["client_name"] = "Storefront",
            ["ip"] = "203.0.113." + RandomNumberGenerator.GetInt32(1, 255).ToString(CultureInfo.InvariantCulture),
            ["user_agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
            ["hostname"] = $"{tenant}.eu.auth0.com",
            ["tenant_name"] = tenant,
            ["log_id"] = logId,
            ["details"] = new JsonObject { ["sample"] = true, ["sent_by"] = "eventhub auth0 send" },
        };
        if (type.Group.StartsWith("auth.", StringComparison.Ordinal) || type.Group.StartsWith("user.", StringComparison.Ordinal))
        {
            data["connection"] = "Username-Password-Authentication";
            data["connection_id"] = "con_8x5Vh3WqLm2Kp9Rt";
            data["strategy"] = "auth0";
            data["strategy_type"] = "database";
            data["user_id"] = "auth0|6512f0c1a2b3c4d5e6f70812";
            data["user_name"] = "jane.doe@example.com";
        }

        return new JsonObject { ["log_id"] = logId, ["data"] = data };
    }
}
