namespace EventHub.Integration.Tests;

/// <summary>Keys of two teams and a few narrow ones, as settings, for the access-control tests.</summary>
internal static class AccessKeys
{
    public const string EmitOnly = "emit-only-secret-0123456789abcdef0123";
    public const string TeamA = "team-a-secret-0123456789abcdef01234567";
    public const string TeamB = "team-b-secret-0123456789abcdef01234567";
    public const string OrdersReader = "orders-reader-secret-0123456789abcdef";
    public const string Billing = "billing-secret-0123456789abcdef0123456";

    static readonly string[] Team = ["emit", "events:read", "listeners:manage", "replay"];

    public static Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>
        {
            ["EventHub:Keys:emitter"] = EmitOnly,
            ["EventHub:Keys:emitter:Scopes:0"] = "emit",
            ["EventHub:Keys:team-a"] = TeamA,
            ["EventHub:Keys:team-b"] = TeamB,
            ["EventHub:Keys:orders-reader"] = OrdersReader,
            ["EventHub:Keys:orders-reader:Scopes:0"] = "events:read",
            ["EventHub:Keys:orders-reader:Scopes:1"] = "listeners:manage",
            ["EventHub:Keys:orders-reader:Read:0"] = "order.*",
            ["EventHub:Keys:billing"] = Billing,
            ["EventHub:Keys:billing:Scopes:0"] = "emit",
            ["EventHub:Keys:billing:Emit:0"] = "billing.#",
            ["EventHub:Listeners:AllowPrivateTargets"] = "true",
            ["EventHub:Listeners:RetryPollInterval"] = "00:00:00.100",
        };
        foreach (var (scope, i) in Team.Select((s, i) => (s, i)))
        {
            settings[$"EventHub:Keys:team-a:Scopes:{i}"] = scope;
            settings[$"EventHub:Keys:team-b:Scopes:{i}"] = scope;
        }

        return settings;
    }
}
