using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using EventHub.Security.Rules;
using EventHub.Storage.Sagas;
using Microsoft.Extensions.Options;

namespace EventHub.Security.EvaluateRules;

/// <summary>
/// Counts a matched entry into its correlation group. A correlation is a <see cref="Burst"/> over the group's matches, as
/// brute force is: windows on the entries' own dates, a resent entry counted once, one alert per episode.
/// </summary>
internal sealed class CorrelationTracker(SagaStore<CorrelationState> store, IOptions<SecurityOptions> options, TimeProvider time)
{
    /// <summary>The alert the entry completes, if any; null also when the entry lacks a group-by (or counted) field, as a SIEM's <c>stats by</c> drops it.</summary>
    public async Task<(BurstAlert Alert, CorrelationState State)?> RecordAsync(SigmaCorrelation correlation, SigmaRule rule, SigmaEntry entry, IAuth0LogEvent message, bool redelivered, CancellationToken cancellationToken)
    {
        var group = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in correlation.GroupBy)
        {
            if (entry.Values(field).FirstOrDefault(v => !string.IsNullOrEmpty(v)) is not { } value)
                return null;
            group[field.Text] = value;
        }

        var subject = correlation.Type switch
        {
            "value_count" => entry.Values(correlation.Field!).FirstOrDefault(v => !string.IsNullOrEmpty(v)),
            "temporal" => rule.Info.Name,
            _ => entry.LogId,
        };
        if (subject is null)
            return null;

        var detection = "sigma:" + correlation.Info.Id;
        var id = SecurityKeys.Correlate(detection, message.Source, string.Join('\n', group.Values));
        var state = await store.LoadAsync(id, cancellationToken) ?? new CorrelationState { CorrelationId = id, RuleId = correlation.Info.Id, Group = group };
        var attempt = new Attempt(entry.LogId, message.OccurredAt, subject, null, message.Type);
        var alert = state.Burst.Record(attempt, new BurstRule(correlation.Threshold, correlation.Timespan), (episode, trigger) => SecurityKeys.AlertId(detection, id, $"{episode}\n{trigger.LogId}"), redelivered);
        var retention = options.Value.StateRetention;
        state.ExpiresAt = time.GetUtcNow() + (retention > correlation.Timespan * 2 ? retention : correlation.Timespan * 2);
        if (state.Version == 0)
            await store.InsertAsync(state, cancellationToken);
        else
            await store.UpdateAsync(state, cancellationToken);
        return alert is null ? null : (alert, state);
    }
}
