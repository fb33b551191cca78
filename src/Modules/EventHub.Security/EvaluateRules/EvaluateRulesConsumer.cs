using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using EventHub.Security.Rules;
using EventHub.Publishing;
using MassTransit;

namespace EventHub.Security.EvaluateRules;

/// <summary>
/// Runs Auth0 entries through the Sigma rules, a batch at a time. A single-entry rule alerts at once, with an id derived
/// from the rule and the entry (a resent entry raises the same event again, which the event log and listeners already
/// de-duplicate); a rule used by correlations counts into their groups instead, unless one of them says
/// <c>generate: true</c>. Alerts are published once every group of the batch is saved: a batch that fails publishes
/// nothing, and its redelivery raises what the saved state holds (<see cref="Burst.Record"/>). The entries come in
/// <see cref="HubEventBatch"/>es, several publishes' at a time (docs/adr/0031).
/// </summary>
internal sealed class EvaluateRulesConsumer(DetectionRules rules, CorrelationTracker correlations, ConfirmedPublisher publisher, ConsumerLag lag, TimeProvider time)
    : IConsumer<Batch<HubEventBatch>>, IConsumer<Batch<IHubEvent>>, IReadsAuth0EntriesOnly
{
    static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(30);

    public Task Consume(ConsumeContext<Batch<HubEventBatch>> context) =>
        EvaluateAsync(context.Message.SelectMany(batch => batch.Message.Auth0LogEntries().Select(entry => ((IAuth0LogEvent)entry, SecurityKeys.Redelivered(batch)))), context.CancellationToken);

    /// <summary>
    /// Single entries come here only by the binding of a release before ADR 0031: those of that release are evaluated;
    /// this release's came in their batch as well and are skipped, or they would be counted twice.
    /// </summary>
    public Task Consume(ConsumeContext<Batch<IHubEvent>> context) =>
        EvaluateAsync(SinglesOfAPreviousRelease(context.Message), context.CancellationToken);

    static IEnumerable<(IAuth0LogEvent, bool)> SinglesOfAPreviousRelease(Batch<IHubEvent> singles)
    {
        foreach (var single in singles)
        {
            if (!single.Headers.TryGetHeader(HubEventNames.InBatchHeader, out _) && single.TryGetMessage<IAuth0LogEvent>(out var entry))
                yield return (entry.Message, SecurityKeys.Redelivered(single));
        }
    }

    async Task EvaluateAsync(IEnumerable<(IAuth0LogEvent Message, bool Redelivered)> entries, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var alerts = new List<(string Rule, ISecurityAlert Alert)>();
        var matched = new List<string>();
        // Two batches of this copy run side by side (EvaluateRulesConsumerDefinition), but only one at a time counts: two
        // would load and save the same groups and conflict (a flood touches every IP's group in each batch). The alerts
        // are published outside, so the next batch is counted while this one's wait for the broker's confirms.
        DateTimeOffset? oldest;
        using (await correlations.OneBatchAtATimeAsync(cancellationToken))
            oldest = await MatchAndCountAsync(entries, now, alerts, matched, cancellationToken);
        // What ingress waits on (docs/adr/0039): from acceptance to counted, the wait for the other batch included.
        if (oldest is { } receivedAt)
            lag.Observed(readsAuth0Only: true, receivedAt);

        // As its own type (BruteForceDetected, SigmaDetection, ...), which is what consumers of one kind subscribe to,
        // and in a batch for the event log. Not confirmed: the batch fails and runs again, raising the same alert ids.
        var confirmation = await publisher.PublishAsync(alerts.ConvertAll(a => (object)a.Alert), ConfirmTimeout, cancellationToken);
        if (!confirmation.IsConfirmed)
            throw new InvalidOperationException($"Alerts not published: {confirmation.Refusal}");

        // Counted once the batch is fully handled: a retry must not count its entries twice.
        foreach (var name in matched)
            rules.Counters(name).Matched();
        foreach (var (rule, _) in alerts)
            rules.Counters(rule).Alerted();
    }

    /// <summary>Returns when the oldest entry of the batch was accepted; null for none.</summary>
    async Task<DateTimeOffset?> MatchAndCountAsync(IEnumerable<(IAuth0LogEvent Message, bool Redelivered)> entries, DateTimeOffset now, List<(string Rule, ISecurityAlert Alert)> alerts, List<string> matched, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<Guid, CorrelationGroup>();
        DateTimeOffset? oldest = null;
        foreach (var (message, redelivered) in entries)
        {
            if (oldest is null || message.ReceivedAt < oldest)
                oldest = message.ReceivedAt;
            using var entry = new SigmaEntry(message.EventId, message.Type, message.Payload, message);
            foreach (var rule in rules.Set.Match(entry))
            {
                matched.Add(rule.Info.Name);
                if (rule.Alerts)
                    alerts.Add((rule.Info.Name, SigmaAlerts.ForEntry(rule, entry, message, now)));
                foreach (var correlation in rule.UsedBy)
                    correlations.Add(groups, correlation, rule, entry, message, redelivered);
            }

            foreach (var correlation in rules.Set.Typed)
                correlations.AddReset(groups, correlation, message);
        }

        if (groups.Count > 0)
        {
            foreach (var (group, alert) in await correlations.RecordAsync(groups.Values, cancellationToken))
            {
                var correlation = group.Correlation;
                var raised = correlation.Alert is { } typed
                    ? typed.Raise(group, alert, now)
                    : SigmaAlerts.ForCorrelation(group, alert, now);
                alerts.Add((correlation.Info.Name, raised));
            }
        }

        return oldest;
    }
}
