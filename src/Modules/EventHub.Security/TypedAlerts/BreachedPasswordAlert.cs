using EventHub.Composition.Switches;
using System.Globalization;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using EventHub.Security.EvaluateRules;

namespace EventHub.Security.TypedAlerts;

/// <summary>
/// A breached password at login, signup or reset: <c>security.breached_password.detected</c> at once, once per account
/// and UTC day of the entry's date. The day is part of the group, so the rule's one-day count (at least one entry) is
/// one alert per group, and a later entry of that day is in its alerted episode.
/// </summary>
internal sealed class BreachedPasswordAlert : TypedAlert
{
    public override string Name => "breached_password";

    public override string EventName => BreachedPasswordDetected.EventName;

    public override bool Enabled(HubSwitches switches) => switches.BreachedPassword;

    public override Dictionary<string, string>? Group(IAuth0LogEvent entry) =>
        SecurityKeys.User(entry) is { } user ? new() { ["user"] = user, ["day"] = entry.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } : null;

    // The state machine's id: one alert per group, named by the group and its first entry.
    public override string AlertId(Guid group, int episode, string triggerLogId) => SecurityKeys.AlertId(Name, group, triggerLogId);

    public override ISecurityAlert Raise(CorrelationGroup group, BurstAlert alert, DateTimeOffset now)
    {
        var entry = alert.Window[0];
        return SecurityAlerts.WithPayload(new BreachedPasswordDetected
        {
            EventId = alert.EventId,
            Source = SecurityAlerts.Source,
            OccurredAt = entry.At,
            ReceivedAt = now,
            LogSource = group.LogSource,
            LogIds = [entry.LogId],
            User = group.Values["user"],
            Day = group.Values["day"],
            Code = entry.Code,
            Ip = entry.Ip,
        });
    }
}
