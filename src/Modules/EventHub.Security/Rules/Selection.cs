namespace EventHub.Security.Rules;

/// <summary>A named search of a rule's <c>detection</c>: maps OR-ed together, each the AND of its field conditions.</summary>
internal sealed class Selection(string name, IReadOnlyList<IReadOnlyList<FieldCondition>> alternatives)
{
    public string Name => name;

    public IReadOnlyList<IReadOnlyList<FieldCondition>> Alternatives => alternatives;

    public bool Matches(SigmaEntry entry)
    {
        // Indexed, not foreach: an interface's enumerator is an allocation per selection per entry.
        for (var i = 0; i < alternatives.Count; i++)
        {
            var conditions = alternatives[i];
            var all = true;
            for (var j = 0; j < conditions.Count && all; j++)
                all = conditions[j].Matches(entry);
            if (all)
                return true;
        }

        return false;
    }

    /// <summary>The <c>data.type</c> codes this selection can match, or null when any code could match.</summary>
    public HashSet<string>? Types()
    {
        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var conditions in alternatives)
        {
            if (conditions.FirstOrDefault(c => c.TypeValues is not null) is not { TypeValues: { } values })
                return null;
            types.UnionWith(values);
        }

        return types;
    }
}
