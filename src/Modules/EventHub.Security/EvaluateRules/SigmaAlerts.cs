using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using EventHub.Security.Rules;

namespace EventHub.Security.EvaluateRules;

/// <summary>The <see cref="SigmaDetection"/> alerts: ids derived from the rule and what matched, payload with the typed fields.</summary>
internal static class SigmaAlerts
{
    public static SigmaDetection ForEntry(SigmaRule rule, SigmaEntry entry, IAuth0LogEvent message, DateTimeOffset now) => WithPayload(new SigmaDetection
    {
        EventId = SecurityKeys.AlertId("sigma:" + rule.Info.Id, Guid.Empty, entry.LogId),
        OccurredAt = message.OccurredAt,
        ReceivedAt = now,
        LogSource = message.Source,
        LogIds = [entry.LogId],
        Selections = rule.MatchedSelections(entry),
    }, rule.Info);

    public static SigmaDetection ForCorrelation(CorrelationGroup group, BurstAlert alert, DateTimeOffset now) => WithPayload(new SigmaDetection
    {
        EventId = alert.EventId,
        OccurredAt = alert.Window[^1].At,
        ReceivedAt = now,
        LogSource = group.LogSource,
        LogIds = [.. alert.Window.Select(a => a.LogId)],
        Correlation = group.Correlation.Type,
        GroupBy = group.Values,
    }, group.Correlation.Info);

    static SigmaDetection WithPayload(SigmaDetection alert, RuleInfo rule)
    {
        alert = alert with
        {
            Name = SigmaDetection.NamePrefix + rule.Name,
            Source = SecurityAlerts.Source,
            RuleId = rule.Id,
            RuleName = rule.Name,
            Title = rule.Title,
            Level = rule.Level,
            Tags = rule.Tags,
            Equivalents = rule.Equivalents,
        };
        return alert with
        {
            Payload = SecurityAlerts.Payload(new
            {
                ruleId = alert.RuleId,
                rule = alert.RuleName,
                title = alert.Title,
                level = alert.Level,
                tags = alert.Tags,
                equivalents = alert.Equivalents,
                source = alert.LogSource,
                correlation = alert.Correlation,
                groupBy = alert.GroupBy,
                selections = alert.Selections,
                logIds = alert.LogIds,
            }),
        };
    }
}
