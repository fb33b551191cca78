namespace EventHub.Security.Rules;

/// <summary>A detection rule: its condition over one entry, and the selections it names (reported by the test endpoint).</summary>
internal sealed record SigmaRule(RuleInfo Info, Condition Condition, IReadOnlyList<Selection> Selections)
{
    /// <summary>Correlations that use this rule; without <c>generate: true</c> on one of them, its matches alert only through them.</summary>
    public List<SigmaCorrelation> UsedBy { get; } = [];

    public bool Alerts => UsedBy.Count == 0 || UsedBy.Exists(c => c.Generate);

    /// <summary>The selections that match the entry on their own, for telling an operator why a rule matched.</summary>
    public IReadOnlyList<string> MatchedSelections(SigmaEntry entry) => [.. Selections.Where(s => s.Matches(entry)).Select(s => s.Name)];
}
