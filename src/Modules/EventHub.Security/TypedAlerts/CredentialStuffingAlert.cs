using EventHub.Composition.Switches;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using EventHub.Security.EvaluateRules;
using EventHub.Security.Rules;

namespace EventHub.Security.TypedAlerts;

/// <summary>Failed logins of many distinct accounts from one IP: <c>security.credential_stuffing.detected</c>.</summary>
internal sealed class CredentialStuffingAlert : TypedAlert
{
    const int MaxUsersListed = 100;

    public override string Name => "credential_stuffing";

    public override string EventName => CredentialStuffingDetected.EventName;

    public override bool Enabled(HubSwitches switches) => switches.CredentialStuffing;

    public override BurstRule Rule(SecurityOptions settings, SigmaCorrelation correlation) => new(settings.CredentialStuffing.Threshold, settings.CredentialStuffing.Window);

    public override Dictionary<string, string>? Group(IAuth0LogEvent entry) =>
        SecurityKeys.Ip(entry) is { } ip ? new() { ["ip"] = ip } : null;

    // Only failures naming an account say anything about how many accounts one address tries.
    public override string? Subject(IAuth0LogEvent entry) => SecurityKeys.User(entry);

    public override ISecurityAlert Raise(CorrelationGroup group, BurstAlert alert, DateTimeOffset now)
    {
        var window = alert.Window;
        var users = window.Select(a => a.Subject).Distinct(StringComparer.Ordinal).ToList();
        return SecurityAlerts.WithPayload(new CredentialStuffingDetected
        {
            EventId = alert.EventId,
            Source = SecurityAlerts.Source,
            OccurredAt = window[^1].At,
            ReceivedAt = now,
            LogSource = group.LogSource,
            LogIds = [.. window.Select(a => a.LogId)],
            Ip = group.Values["ip"],
            UserCount = users.Count,
            Users = [.. users.Take(MaxUsersListed)],
            Count = window.Count,
            First = window[0].At,
            Last = window[^1].At,
            Codes = Distinct(window.Select(a => a.Code)),
            Threshold = group.Rule.Threshold,
            Window = group.Rule.Window,
        });
    }
}
