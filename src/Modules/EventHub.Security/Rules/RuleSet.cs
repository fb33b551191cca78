namespace EventHub.Security.Rules;

/// <summary>
/// The rules compiled at startup, with those refused. Rules that can only match some <c>data.type</c> codes are indexed by
/// code, so an entry is tested only against the rules that could match it.
/// </summary>
internal sealed class RuleSet
{
    readonly Dictionary<string, SigmaRule[]> _byType;
    readonly SigmaRule[] _anyType;

    public RuleSet(IReadOnlyList<SigmaRule> rules, IReadOnlyList<SigmaCorrelation> correlations, IReadOnlyList<RefusedRule> refused)
    {
        Rules = rules;
        Correlations = correlations;
        Refused = refused;
        Typed = [.. correlations.Where(c => c.Alert is not null)];
        var typed = rules.Select(r => (Rule: r, Types: r.Condition.Types())).ToList();
        _anyType = [.. typed.Where(t => t.Types is null).Select(t => t.Rule)];
        _byType = typed.Where(t => t.Types is not null)
            .SelectMany(t => t.Types!.Select(type => (Type: type, t.Rule)))
            .GroupBy(t => t.Type, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(t => t.Rule).Concat(_anyType).ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<SigmaRule> Rules { get; }

    public IReadOnlyList<SigmaCorrelation> Correlations { get; }

    public IReadOnlyList<RefusedRule> Refused { get; }

    /// <summary>The correlations that raise typed alerts: some also read entries their rules do not match (a brute force's successful login).</summary>
    public IReadOnlyList<SigmaCorrelation> Typed { get; }

    /// <summary>The rules whose detection matches the entry, in load order within each index bucket.</summary>
    public IReadOnlyList<SigmaRule> Match(SigmaEntry entry)
    {
        var candidates = _byType.GetValueOrDefault(entry.Type) ?? _anyType;
        List<SigmaRule>? matched = null;
        foreach (var rule in candidates)
        {
            if (rule.Condition.Matches(entry))
                (matched ??= []).Add(rule);
        }

        return matched is null ? [] : matched;
    }
}
