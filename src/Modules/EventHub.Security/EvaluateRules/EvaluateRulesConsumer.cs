using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using EventHub.Security.Rules;
using MassTransit;

namespace EventHub.Security.EvaluateRules;

/// <summary>
/// Runs Auth0 entries through the Sigma rules, a batch at a time. A single-entry rule alerts at once, with an id derived
/// from the rule and the entry (a resent entry raises the same event again, which the event log and listeners already
/// de-duplicate); a rule used by correlations counts into their groups instead, unless one of them says
/// <c>generate: true</c>. Alerts are published once every group of the batch is saved: a batch that fails publishes
/// nothing, and its redelivery raises what the saved state holds (<see cref="Burst.Record"/>).
/// </summary>
internal sealed class EvaluateRulesConsumer(DetectionRules rules, CorrelationTracker correlations, TimeProvider time) : IConsumer<Batch<IAuth0LogEvent>>
{
    public async Task Consume(ConsumeContext<Batch<IAuth0LogEvent>> context)
    {
        var now = time.GetUtcNow();
        var alerts = new List<(string Rule, ISecurityAlert Alert)>();
        var matched = new List<string>();
        var groups = new Dictionary<Guid, CorrelationGroup>();
        foreach (var received in context.Message)
        {
            var message = received.Message;
            using var entry = new SigmaEntry(message.EventId, message.Type, message.Payload, message);
            foreach (var rule in rules.Set.Match(entry))
            {
                matched.Add(rule.Info.Name);
                if (rule.Alerts)
                    alerts.Add((rule.Info.Name, SigmaAlerts.ForEntry(rule, entry, message, now)));
                foreach (var correlation in rule.UsedBy)
                    correlations.Add(groups, correlation, rule, entry, message, SecurityKeys.Redelivered(received));
            }

            foreach (var correlation in rules.Set.Typed)
                correlations.AddReset(groups, correlation, message);
        }

        if (groups.Count > 0)
        {
            foreach (var (group, alert) in await correlations.RecordAsync(groups.Values, context.CancellationToken))
            {
                var correlation = group.Correlation;
                var raised = correlation.Alert is { } typed
                    ? typed.Raise(group, alert, now)
                    : SigmaAlerts.ForCorrelation(group, alert, now);
                alerts.Add((correlation.Info.Name, raised));
            }
        }

        // As its own type (BruteForceDetected, SigmaDetection, ...), which is what consumers of one kind subscribe to.
        foreach (var (_, alert) in alerts)
            await context.Publish((object)alert, context.CancellationToken);

        // Counted once the batch is fully handled: a retry must not count its entries twice.
        foreach (var name in matched)
            rules.Counters(name).Matched();
        foreach (var (rule, _) in alerts)
            rules.Counters(rule).Alerted();
    }
}
