namespace EventHub.Security.Rules;

/// <summary>A compiled Sigma <c>condition</c>: selections combined with <c>and</c>, <c>or</c>, <c>not</c>, <c>1 of</c>, <c>all of</c>.</summary>
internal abstract record Condition
{
    public abstract bool Matches(SigmaEntry entry);

    /// <summary>The <c>data.type</c> codes an entry must have to match, or null when any code could (the rule is always evaluated).</summary>
    public abstract HashSet<string>? Types();

    internal sealed record Search(Selection Selection) : Condition
    {
        public override bool Matches(SigmaEntry entry) => Selection.Matches(entry);

        public override HashSet<string>? Types() => Selection.Types();
    }

    internal sealed record Not(Condition Operand) : Condition
    {
        public override bool Matches(SigmaEntry entry) => !Operand.Matches(entry);

        public override HashSet<string>? Types() => null;
    }

    /// <summary><c>a and b</c>, and <c>all of x*</c>.</summary>
    internal sealed record All(IReadOnlyList<Condition> Operands) : Condition
    {
        public override bool Matches(SigmaEntry entry)
        {
            // Indexed, not foreach: an interface's enumerator is an allocation per rule per entry.
            for (var i = 0; i < Operands.Count; i++)
            {
                if (!Operands[i].Matches(entry))
                    return false;
            }

            return true;
        }

        public override HashSet<string>? Types()
        {
            HashSet<string>? types = null;
            foreach (var operand in Operands)
            {
                if (operand.Types() is not { } some)
                    continue;
                if (types is null)
                    types = some;
                else
                    types.IntersectWith(some);
            }

            return types;
        }
    }

    /// <summary><c>a or b</c>, and <c>1 of x*</c>.</summary>
    internal sealed record Any(IReadOnlyList<Condition> Operands) : Condition
    {
        public override bool Matches(SigmaEntry entry)
        {
            for (var i = 0; i < Operands.Count; i++)
            {
                if (Operands[i].Matches(entry))
                    return true;
            }

            return false;
        }

        public override HashSet<string>? Types()
        {
            var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var operand in Operands)
            {
                if (operand.Types() is not { } some)
                    return null;
                types.UnionWith(some);
            }

            return types;
        }
    }
}
