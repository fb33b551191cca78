using EventHub.Composition.Switches;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using EventHub.Security.EvaluateRules;
using EventHub.Security.Rules;

namespace EventHub.Security.TypedAlerts;

/// <summary>Failed logins of one account: <c>security.brute_force.detected</c>; a successful login starts the count again.</summary>
internal sealed class BruteForceAlert : TypedAlert
{
    const string LoginSuccess = "auth.login.success";

    public override string Name => "brute_force";

    public override string EventName => BruteForceDetected.EventName;

    public override bool Enabled(HubSwitches switches) => switches.BruteForce;

    public override BurstRule Rule(SecurityOptions settings, SigmaCorrelation correlation) => new(settings.BruteForce.Threshold, settings.BruteForce.Window);

    public override Dictionary<string, string>? Group(IAuth0LogEvent entry) =>
        SecurityKeys.User(entry) is { } user ? new() { ["user"] = user } : null;

    // By group, not by type: the rules consumer receives entries as IAuth0LogEvent, not as their records.
    public override bool Resets(IAuth0LogEvent entry) => entry.Group == LoginSuccess;

    public override ISecurityAlert Raise(CorrelationGroup group, BurstAlert alert, DateTimeOffset now)
    {
        var window = alert.Window;
        return SecurityAlerts.WithPayload(new BruteForceDetected
        {
            EventId = alert.EventId,
            Source = SecurityAlerts.Source,
            OccurredAt = window[^1].At,
            ReceivedAt = now,
            LogSource = group.LogSource,
            LogIds = [.. window.Select(a => a.LogId)],
            User = group.Values["user"],
            Count = window.Count,
            First = window[0].At,
            Last = window[^1].At,
            Ips = Distinct(window.Select(a => a.Ip)),
            Codes = Distinct(window.Select(a => a.Code)),
            Threshold = group.Rule.Threshold,
            Window = group.Rule.Window,
        });
    }
}
