using EventHub.Composition.Switches;
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
internal sealed class CorrelationTracker(SagaStore<CorrelationState> store, IOptions<SecurityOptions> options, HubSwitches switches, TimeProvider time) : IDisposable
{
    // A conflict means another host copy saved the group in between: reload it and count again (duplicates count once).
    const int Attempts = 30;

    readonly SemaphoreSlim _counting = new(1, 1);

    SecurityOptions Settings => options.Value;

    /// <summary>Held while a batch is matched and counted: one batch at a time per host copy, whatever runs beside it.</summary>
    public async Task<IDisposable> OneBatchAtATimeAsync(CancellationToken cancellationToken)
    {
        await _counting.WaitAsync(cancellationToken);
        return new Release(_counting);
    }

    sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }

    /// <summary>
    /// Adds a matched entry to its group; an entry lacking a group-by (or counted) field is left out, as a SIEM's
    /// <c>stats by</c> drops it. A correlation that raises a typed alert takes its group and subject from the alert, and
    /// counts nothing while its setting switches it off.
    /// </summary>
    public void Add(Dictionary<Guid, CorrelationGroup> pending, SigmaCorrelation correlation, SigmaRule rule, SigmaEntry entry, IAuth0LogEvent message, bool redelivered)
    {
        var typed = correlation.Alert;
        if (typed is not null && !typed.Enabled(switches))
            return;
        if ((typed is null ? FieldGroup(correlation, entry) : typed.Group(message)) is not { } group)
            return;
        var subject = typed is not null ? typed.Subject(message) : correlation.Type switch
        {
            "value_count" => FirstValue(entry, correlation.Field!),
            "temporal" => rule.Info.Name,
            _ => entry.LogId,
        };
        if (subject is null)
            return;
        var attempt = new Attempt(entry.LogId, message.OccurredAt, subject, typed is null ? null : SecurityKeys.Ip(message), message.Type);
        Pending(pending, correlation, group, message).Entries.Add(new CountedEntry(attempt, redelivered, Resets: false));
    }

    /// <summary>An entry that starts a typed alert's count again (a successful login, for brute force), for groups that exist.</summary>
    public void AddReset(Dictionary<Guid, CorrelationGroup> pending, SigmaCorrelation correlation, IAuth0LogEvent message)
    {
        if (correlation.Alert is not { } typed || !typed.Resets(message) || !typed.Enabled(switches) || typed.Group(message) is not { } group)
            return;
        var attempt = new Attempt(message.EventId, message.OccurredAt, message.EventId, null, message.Type);
        Pending(pending, correlation, group, message).Entries.Add(new CountedEntry(attempt, Redelivered: false, Resets: true));
    }

    CorrelationGroup Pending(Dictionary<Guid, CorrelationGroup> pending, SigmaCorrelation correlation, Dictionary<string, string> group, IAuth0LogEvent message)
    {
        var id = SecurityKeys.Correlate(Detection(correlation), message.Source, string.Join('\n', group.Values));
        if (!pending.TryGetValue(id, out var pendingGroup))
        {
            var rule = correlation.Alert?.Rule(Settings, correlation) ?? new BurstRule(correlation.Threshold, correlation.Timespan);
            pending[id] = pendingGroup = new CorrelationGroup(id, correlation, group, message.Source, rule);
        }

        return pendingGroup;
    }

    /// <summary>
    /// Counts each group's entries into its stored state; the alerts they complete, once each. All groups are loaded in
    /// one query and saved in one transaction; the groups another copy saved meanwhile are reloaded and counted again.
    /// </summary>
    public async Task<List<(CorrelationGroup Group, BurstAlert Alert)>> RecordAsync(IReadOnlyCollection<CorrelationGroup> groups, CancellationToken cancellationToken)
    {
        var alerts = new List<(CorrelationGroup, BurstAlert)>();
        try
        {
            for (var attempt = 1; groups.Count > 0; attempt++)
            {
                var stored = await LoadAsync(groups, cancellationToken);
                var counted = groups.Select(group => Count(group, stored.GetValueOrDefault(group.Id))).Where(c => c.State is not null).ToList();
                var conflicts = (await store.SaveManyAsync([.. counted.Select(c => c.State!)], cancellationToken)).ToHashSet();
                Remember(counted.Select(c => c.State!), conflicts);
                alerts.AddRange(counted.Where(c => !conflicts.Contains(c.State!)).SelectMany(c => c.Alerts.Select(alert => (c.Group, alert))));
                groups = [.. counted.Where(c => conflicts.Contains(c.State!)).Select(c => c.Group)];
                if (groups.Count == 0)
                    break;
                if (attempt == Attempts)
                    throw new ConcurrencyException($"{groups.Count} correlation groups kept changing under this batch", typeof(CorrelationState), groups.First().Id);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 * Math.Min(attempt, 20))), cancellationToken);
            }
        }
        catch
        {
            // Counted into but maybe not saved: none of them is known to be what the database holds.
            _saved.Clear();
            throw;
        }

        return alerts;
    }

    // The states this copy saved last, exactly as saved (version included), so the next batch of a flood need not load
    // them again: loading and reading them was a quarter of the host's work while the detections' queue drained
    // (bench/results/2026-12-07T0820Z-perf-flood-and-drain.txt). One that another copy saved since, or the expiry job
    // deleted, is not saved over: the version check makes it a conflict, and a conflict is loaded again. Touched only
    // while counting, which is one batch at a time (OneBatchAtATimeAsync).
    readonly Dictionary<Guid, CorrelationState> _saved = [];
    const int MostStatesKept = 10_000;

    // A kept state leaves memory when it expires, as its row leaves the database (ExpiredSagaCleanup): the IPs and user
    // ids in it are kept no longer than configured, also on a copy that sees no more entries.
    static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    ITimer? _sweep;

    internal int KeptStates => _saved.Count;

    void DropExpired()
    {
        // A batch counting now holds the states: the next tick.
        if (!_counting.Wait(0))
            return;
        try
        {
            var now = time.GetUtcNow();
            foreach (var (id, state) in _saved)
            {
                if (state.ExpiresAt <= now)
                    _saved.Remove(id);
            }
        }
        finally
        {
            _counting.Release();
        }
    }

    public void Dispose() => _sweep?.Dispose();

    async Task<Dictionary<Guid, CorrelationState>> LoadAsync(IReadOnlyCollection<CorrelationGroup> groups, CancellationToken cancellationToken)
    {
        var states = new Dictionary<Guid, CorrelationState>(groups.Count);
        var missing = new List<Guid>();
        foreach (var group in groups)
        {
            if (_saved.TryGetValue(group.Id, out var state))
                states[group.Id] = state;
            else
                missing.Add(group.Id);
        }

        foreach (var (id, state) in await store.LoadManyAsync(missing, cancellationToken))
            states[id] = state;
        return states;
    }

    void Remember(IEnumerable<CorrelationState> counted, HashSet<CorrelationState> conflicts)
    {
        _sweep ??= time.CreateTimer(static tracker => ((CorrelationTracker)tracker!).DropExpired(), this, SweepEvery, SweepEvery);
        foreach (var state in counted)
        {
            if (conflicts.Contains(state))
                _saved.Remove(state.CorrelationId);
            else
            {
                if (_saved.Count >= MostStatesKept && !_saved.ContainsKey(state.CorrelationId))
                    _saved.Clear();
                _saved[state.CorrelationId] = state;
            }
        }
    }

    /// <summary>The group's state after its entries; none for a group that only saw resets and has no state (nothing to start again).</summary>
    (CorrelationGroup Group, CorrelationState? State, List<BurstAlert> Alerts) Count(CorrelationGroup group, CorrelationState? stored)
    {
        var correlation = group.Correlation;
        var alerts = new List<BurstAlert>();
        if (stored is null && group.Entries.TrueForAll(e => e.Resets))
            return (group, null, alerts);
        var state = stored ?? new CorrelationState { CorrelationId = group.Id, RuleId = correlation.Info.Id, Group = group.Values };
        var rule = group.Rule;
        var detection = Detection(correlation);
        Func<int, Attempt, string> alertId = correlation.Alert is { } typed
            ? (episode, trigger) => typed.AlertId(group.Id, episode, trigger.LogId)
            : (episode, trigger) => SecurityKeys.AlertId(detection, group.Id, $"{episode}\n{trigger.LogId}");
        foreach (var (attempt, redelivered, resets) in group.Entries)
        {
            var alert = resets ? state.Burst.Reset(attempt.At, rule, alertId) : state.Burst.Record(attempt, rule, alertId, redelivered);
            if (alert is not null && !alerts.Exists(a => a.EventId == alert.EventId))
                alerts.Add(alert);
        }

        var retention = Settings.StateRetention;
        state.ExpiresAt = time.GetUtcNow() + (retention > rule.Window * 2 ? retention : rule.Window * 2);
        return (group, state, alerts);
    }

    /// <summary>Names the groups and alert ids: a typed alert's is its state machine's, so its ids are the ones it always had.</summary>
    static string Detection(SigmaCorrelation correlation) => correlation.Alert?.Name ?? "sigma:" + correlation.Info.Id;

    static Dictionary<string, string>? FieldGroup(SigmaCorrelation correlation, SigmaEntry entry)
    {
        var group = new Dictionary<string, string>(correlation.GroupBy.Count, StringComparer.Ordinal);
        foreach (var field in correlation.GroupBy)
        {
            if (FirstValue(entry, field) is not { } value)
                return null;
            group[field.Text] = value;
        }

        return group;
    }

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

/// <summary>The entries of one batch that count into one group of one correlation, in arrival order; <see cref="Rule"/> is its count and window.</summary>
internal sealed record CorrelationGroup(Guid Id, SigmaCorrelation Correlation, Dictionary<string, string> Values, string LogSource, BurstRule Rule)
{
    public List<CountedEntry> Entries { get; } = [];
}

/// <summary>An entry counted into a group, or one that <see cref="Resets"/> it (<see cref="Burst.Reset"/>).</summary>
internal sealed record CountedEntry(Attempt Attempt, bool Redelivered, bool Resets);
