using System.Text.Json.Nodes;

namespace EventHub.TestSupport;

/// <summary>
/// Auth0 tenant log entries written from Auth0's public log schema (no real tenant's data), wrapped as a Log Streams
/// custom-webhook record <c>{log_id, data}</c>. Change what a test cares about with <see cref="With"/>.
/// </summary>
public static class Auth0Entries
{
    public static JsonObject Record(string type, string? logId = null, string user = "auth0|6512f0c1a2b3c4d5e6f70812", string ip = "203.0.113.7") =>
        new()
        {
            ["log_id"] = logId ?? NewLogId(),
            ["data"] = new JsonObject
            {
                ["date"] = "2026-11-20T10:15:30.123Z",
                ["type"] = type,
                ["description"] = DescriptionOf(type),
                ["connection"] = "Username-Password-Authentication",
                ["connection_id"] = "con_8x5Vh3WqLm2Kp9Rt",
                ["client_id"] = "k3Vz8Qp1Lm5Xr9Tb2Wc7Yd4Fg6Hj0Ns",
                ["client_name"] = "Storefront",
                ["ip"] = ip,
                ["user_agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
                ["details"] = new JsonObject { ["prompts"] = new JsonArray(), ["stats"] = new JsonObject { ["loginsCount"] = 3 } },
                ["hostname"] = "example-tenant.eu.auth0.com",
                ["user_id"] = user,
                ["user_name"] = "jane.doe@example.com",
                ["strategy"] = "auth0",
                ["strategy_type"] = "database",
                ["tenant_name"] = "example-tenant",
                ["log_id"] = logId,
            },
        };

    /// <summary>Sets or removes (<paramref name="value"/> null) a field of <c>data</c>.</summary>
    public static JsonObject With(this JsonObject record, string field, JsonNode? value)
    {
        var data = record["data"]!.AsObject();
        if (value is null)
            data.Remove(field);
        else
            data[field] = value;
        return record;
    }

    public static string NewLogId() => "900200" + Guid.NewGuid().ToString("N")[..24];

    public static string JsonArray(IEnumerable<JsonObject> records) => new JsonArray([.. records.Select(r => (JsonNode)r.DeepClone())]).ToJsonString();

    public static string JsonLines(IEnumerable<JsonObject> records) => string.Join('\n', records.Select(r => r.ToJsonString())) + "\n";

    static string DescriptionOf(string type) => type switch
    {
        "f" or "fp" or "fu" => "Wrong email or password.",
        "s" => "Successful login",
        "pwd_leak" => "Someone behind the IP address attempted to login with a leaked password.",
        _ => "",
    };
}
