namespace EventHub.Security.Rules;

/// <summary>
/// One <c>field|modifiers: values</c> line of a selection. A list of values is an OR (an AND with <c>|all</c>); a
/// multi-valued field matches when any of its values does. <c>null</c> matches an absent or null field.
/// </summary>
internal sealed class FieldCondition(FieldPath path, IReadOnlyList<Func<string, bool>> patterns, bool all, bool matchesNull, bool? exists)
{
    public FieldPath Path => path;

    /// <summary>The plain values this condition accepts for <c>data.type</c>, for the rule index; null when it is not that simple.</summary>
    public IReadOnlyList<string>? TypeValues { get; init; }

    public bool Matches(SigmaEntry entry)
    {
        var values = entry.Values(path);
        if (exists is { } wanted)
            return values.Count > 0 == wanted;
        if (matchesNull && values.TrueForAll(v => v is null))
            return true;
        if (all)
        {
            // Indexed, not foreach: an interface's enumerator is an allocation per field per entry.
            for (var i = 0; i < patterns.Count; i++)
            {
                if (!Any(values, patterns[i]))
                    return false;
            }

            return patterns.Count > 0;
        }

        for (var i = 0; i < patterns.Count; i++)
        {
            if (Any(values, patterns[i]))
                return true;
        }

        return false;
    }

    static bool Any(List<string?> values, Func<string, bool> pattern)
    {
        foreach (var value in values)
        {
            if (value is not null && pattern(value))
                return true;
        }

        return false;
    }
}
