using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using EventHub.Security.Rules;
using EventHub.Storage.Sagas;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventHub.Security.EvaluateRules;

/// <summary>
/// Counts matched entries into their correlation groups. A correlation is a <see cref="Burst"/> over the group's matches,
/// as brute force is: windows on the entries' own dates, a resent entry counted once, one alert per episode. The entries
/// of one consumed batch are counted per group with one load and one save, so a flood against one group costs one
/// round trip per batch rather than per entry.
/// </summary>
internal sealed class CorrelationTracker(SagaStore<CorrelationState> store, IOptions<SecurityOptions> options, TimeProvider time)
{
    // A conflict means another host copy saved the group in between: reload it and count again (duplicates count once).
    const int Attempts = 30;

    /// <summary>Adds a matched entry to its group; an entry lacking a group-by (or counted) field is left out, as a SIEM's <c>stats by</c> drops it.</summary>
    public static void Add(Dictionary<Guid, CorrelationGroup> pending, SigmaCorrelation correlation, SigmaRule rule, SigmaEntry entry, IAuth0LogEvent message, bool redelivered)
    {
        var group = new Dictionary<string, string>(correlation.GroupBy.Count, StringComparer.Ordinal);
        foreach (var field in correlation.GroupBy)
        {
            if (FirstValue(entry, field) is not { } value)
                return;
            group[field.Text] = value;
        }

        var subject = correlation.Type switch
        {
            "value_count" => FirstValue(entry, correlation.Field!),
            "temporal" => rule.Info.Name,
            _ => entry.LogId,
        };
        if (subject is null)
            return;

        var id = SecurityKeys.Correlate(Detection(correlation), message.Source, string.Join('\n', group.Values));
        if (!pending.TryGetValue(id, out var pendingGroup))
            pending[id] = pendingGroup = new CorrelationGroup(id, correlation, group, message.Source);
        pendingGroup.Attempts.Add((new Attempt(entry.LogId, message.OccurredAt, subject, null, message.Type), redelivered));
    }

    /// <summary>
    /// Counts each group's entries into its stored state; the alerts they complete, once each. All groups are loaded in
    /// one query and saved in one transaction; the groups another copy saved meanwhile are reloaded and counted again.
    /// </summary>
    public async Task<List<(CorrelationGroup Group, BurstAlert Alert)>> RecordAsync(IReadOnlyCollection<CorrelationGroup> groups, CancellationToken cancellationToken)
    {
        var alerts = new List<(CorrelationGroup, BurstAlert)>();
        for (var attempt = 1; groups.Count > 0; attempt++)
        {
            var stored = await store.LoadManyAsync([.. groups.Select(g => g.Id)], cancellationToken);
            var counted = groups.Select(group => Count(group, stored.GetValueOrDefault(group.Id))).ToList();
            var conflicts = await store.SaveManyAsync([.. counted.Select(c => c.State)], cancellationToken);
            alerts.AddRange(counted.Where(c => !conflicts.Contains(c.State)).SelectMany(c => c.Alerts.Select(alert => (c.Group, alert))));
            groups = [.. counted.Where(c => conflicts.Contains(c.State)).Select(c => c.Group)];
            if (groups.Count == 0)
                break;
            if (attempt == Attempts)
                throw new ConcurrencyException($"{groups.Count} correlation groups kept changing under this batch", typeof(CorrelationState), groups.First().Id);
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 * Math.Min(attempt, 20))), cancellationToken);
        }

        return alerts;
    }

    (CorrelationGroup Group, CorrelationState State, List<BurstAlert> Alerts) Count(CorrelationGroup group, CorrelationState? stored)
    {
        var correlation = group.Correlation;
        var detection = Detection(correlation);
        var state = stored ?? new CorrelationState { CorrelationId = group.Id, RuleId = correlation.Info.Id, Group = group.Values };
        var rule = new BurstRule(correlation.Threshold, correlation.Timespan);
        var alerts = new List<BurstAlert>();
        foreach (var (attempt, redelivered) in group.Attempts)
        {
            var alert = state.Burst.Record(attempt, rule, (episode, trigger) => SecurityKeys.AlertId(detection, group.Id, $"{episode}\n{trigger.LogId}"), redelivered);
            if (alert is not null && !alerts.Exists(a => a.EventId == alert.EventId))
                alerts.Add(alert);
        }

        var retention = options.Value.StateRetention;
        state.ExpiresAt = time.GetUtcNow() + (retention > correlation.Timespan * 2 ? retention : correlation.Timespan * 2);
        return (group, state, alerts);
    }

    static string Detection(SigmaCorrelation correlation) => "sigma:" + correlation.Info.Id;

    static string? FirstValue(SigmaEntry entry, FieldPath field)
    {
        foreach (var value in entry.Values(field))
        {
            if (!string.IsNullOrEmpty(value))
                return value;
        }

        return null;
    }
}

/// <summary>The entries of one batch that count into one group of one correlation, in arrival order.</summary>
internal sealed record CorrelationGroup(Guid Id, SigmaCorrelation Correlation, Dictionary<string, string> Values, string LogSource)
{
    public List<(Attempt Attempt, bool Redelivered)> Attempts { get; } = [];
}
