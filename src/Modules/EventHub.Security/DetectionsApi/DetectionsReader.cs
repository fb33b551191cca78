using EventHub.Composition.Switches;
using EventHub.Contracts.Security;
using EventHub.Security.Rules;

namespace EventHub.Security.DetectionsApi;

/// <summary><c>GET /v1/detections</c> and the dashboard's security page: every rule loaded (with what it did in this host copy) and every rule refused, with why.</summary>
internal sealed class DetectionsReader(DetectionRules rules, HubSwitches switches) : IDetectionsReader
{
    public DetectionList Read()
    {
        var set = rules.Set;
        var detections = set.Rules.Select(r => Describe(r.Info, null, r.Alerts, r.UsedBy.Select(c => c.Info.Name).ToList()))
            .Concat(set.Correlations.Select(c => Describe(c.Info, c.Type, c.Alert?.Enabled(switches) ?? true, [], c.Alert?.EventName)))
            .ToList();
        var refused = set.Refused.Select(r => new RefusedDetection(r.File, r.Line, r.Title, r.Reason)).ToList();
        return new DetectionList(detections.Count, refused.Count, detections, refused);
    }

    // A correlation that raises a typed alert names its event (security.brute_force.detected), and alerts only while its setting is on.
    LoadedDetection Describe(RuleInfo info, string? correlation, bool alerts, IReadOnlyList<string> correlations, string? eventName = null)
    {
        var counters = rules.Counters(info.Name);
        return new LoadedDetection(info.Id, info.Name, eventName ?? SigmaRuleLoader.EventPrefix + info.Name, info.Title, info.Level, info.Status, info.Tags, info.Equivalents,
            info.File, info.Line, correlation, alerts, correlations, counters.Matches, counters.Alerts);
    }
}
