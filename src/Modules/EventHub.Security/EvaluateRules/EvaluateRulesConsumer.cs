using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using EventHub.Security.Rules;
using MassTransit;

namespace EventHub.Security.EvaluateRules;

/// <summary>
/// Runs every Auth0 entry through the Sigma rules. A single-entry rule alerts at once, with an id derived from the rule
/// and the entry (a resent entry raises the same event again, which the event log and listeners already de-duplicate);
/// a rule used by correlations counts into their groups instead, unless one of them says <c>generate: true</c>.
/// </summary>
internal sealed class EvaluateRulesConsumer(DetectionRules rules, CorrelationTracker correlations, TimeProvider time) : IConsumer<IAuth0LogEvent>
{
    public async Task Consume(ConsumeContext<IAuth0LogEvent> context)
    {
        var message = context.Message;
        using var entry = new SigmaEntry(message.EventId, message.Type, message.Payload, TypedFields.Of(message));
        var matched = rules.Set.Match(entry);
        if (matched.Count == 0)
            return;

        var raised = new List<string>();
        foreach (var rule in matched)
        {
            if (rule.Alerts)
            {
                await context.Publish(SigmaAlerts.ForEntry(rule, entry, message, time.GetUtcNow()));
                raised.Add(rule.Info.Name);
            }

            foreach (var correlation in rule.UsedBy)
            {
                if (await correlations.RecordAsync(correlation, rule, entry, message, SecurityKeys.Redelivered(context), context.CancellationToken) is { } done)
                {
                    await context.Publish(SigmaAlerts.ForCorrelation(correlation, done.Alert, done.State, message.Source, time.GetUtcNow()));
                    raised.Add(correlation.Info.Name);
                }
            }
        }

        // Counted once the entry is fully handled: a retry after a version conflict must not count it twice.
        foreach (var rule in matched)
            rules.Counters(rule.Info.Name).Matched();
        foreach (var name in raised)
            rules.Counters(name).Alerted();
    }
}
