using EventHub.Security.Rules;

namespace EventHub.Security.DetectionsApi;

/// <summary><c>GET /v1/detections</c>: every rule loaded (with what it did in this host copy) and every rule refused, with why.</summary>
internal static class ListDetectionsEndpoint
{
    public static DetectionList Handle(DetectionRules rules)
    {
        var set = rules.Set;
        var detections = set.Rules.Select(r => Describe(r.Info, null, r.Alerts, r.UsedBy.Select(c => c.Info.Name).ToList(), rules))
            .Concat(set.Correlations.Select(c => Describe(c.Info, c.Type, true, [], rules)))
            .ToList();
        var refused = set.Refused.Select(r => new RefusedDetection(r.File, r.Line, r.Title, r.Reason)).ToList();
        return new DetectionList(detections.Count, refused.Count, detections, refused);
    }

    static LoadedDetection Describe(RuleInfo info, string? correlation, bool alerts, IReadOnlyList<string> correlations, DetectionRules rules)
    {
        var counters = rules.Counters(info.Name);
        return new LoadedDetection(info.Id, info.Name, SigmaRuleLoader.EventPrefix + info.Name, info.Title, info.Level, info.Status, info.Tags, info.Equivalents,
            info.File, info.Line, correlation, alerts, correlations, counters.Matches, counters.Alerts);
    }
}

internal sealed record DetectionList(int Loaded, int RefusedCount, IReadOnlyList<LoadedDetection> Rules, IReadOnlyList<RefusedDetection> Refused);

// Correlation: The correlation type, or null for a rule over single entries.
// Alerts: Whether its matches raise alerts of their own (a rule used only by correlations does not).
// UsedBy: The correlations counting this rule's matches.
// Matches: Entries matched since this host copy started.
// AlertsRaised: Alerts raised since this host copy started.
internal sealed record LoadedDetection(
    string Id,
    string Name,
    string Event,
    string Title,
    string Level,
    string Status,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Equivalents,
    string File,
    long Line,
    string? Correlation,
    bool Alerts,
    IReadOnlyList<string> UsedBy,
    long Matches,
    long AlertsRaised);

internal sealed record RefusedDetection(string File, long Line, string? Title, string Reason);
