using System.Text.RegularExpressions;

namespace EventHub.Security.Rules;

/// <summary>
/// Parses a Sigma condition: <c>not</c> binds tightest, then <c>and</c>, then <c>or</c>; parentheses group;
/// <c>1 of pattern</c> / <c>all of pattern</c> (a selection name with <c>*</c>) and <c>1 of them</c> / <c>all of them</c>
/// (every selection whose name does not start with <c>_</c>). The Sigma v1 aggregation <c>| count() ...</c> is refused:
/// correlation rules replace it.
/// </summary>
internal sealed partial class ConditionParser
{
    readonly List<string> _tokens;
    readonly IReadOnlyDictionary<string, Selection> _selections;
    readonly long _line;
    int _next;

    ConditionParser(string text, IReadOnlyDictionary<string, Selection> selections, long line)
    {
        _tokens = [.. Tokens().Matches(text).Select(m => m.Value)];
        _selections = selections;
        _line = line;
    }

    public static Condition Parse(string text, IReadOnlyDictionary<string, Selection> selections, long line)
    {
        if (text.Contains('|', StringComparison.Ordinal))
            throw new RuleError("the condition uses a Sigma v1 aggregation ('|'): write a correlation rule instead", line);
        var parser = new ConditionParser(text, selections, line);
        if (parser._tokens.Count == 0)
            throw new RuleError("the condition is empty", line);
        var condition = parser.Or();
        if (parser._next < parser._tokens.Count)
            throw parser.Error($"unexpected '{parser._tokens[parser._next]}'");
        return condition;
    }

    Condition Or()
    {
        var operands = new List<Condition> { And() };
        while (Accept("or"))
            operands.Add(And());
        return operands.Count == 1 ? operands[0] : new Condition.Any(operands);
    }

    Condition And()
    {
        var operands = new List<Condition> { Unary() };
        while (Accept("and"))
            operands.Add(Unary());
        return operands.Count == 1 ? operands[0] : new Condition.All(operands);
    }

    Condition Unary()
    {
        if (Accept("not"))
            return new Condition.Not(Unary());
        if (Accept("("))
        {
            var inner = Or();
            if (!Accept(")"))
                throw Error("a parenthesis is not closed");
            return inner;
        }

        var token = Take();
        if (token is "1" or "any" or "all" && Peek() is { } of && of.Equals("of", StringComparison.OrdinalIgnoreCase))
        {
            _next++;
            var matched = Quantified(Take());
            return token == "all" ? new Condition.All(matched) : new Condition.Any(matched);
        }

        if (Keyword(token))
            throw Error($"'{token}' where a selection name was expected");
        return _selections.TryGetValue(token, out var selection)
            ? new Condition.Search(selection)
            : throw Error($"no selection named '{token}'");
    }

    List<Condition> Quantified(string pattern)
    {
        var them = pattern.Equals("them", StringComparison.OrdinalIgnoreCase);
        var regex = them ? null : new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
        var matched = _selections.Values
            .Where(s => them ? !s.Name.StartsWith('_') : regex!.IsMatch(s.Name))
            .Select(s => (Condition)new Condition.Search(s))
            .ToList();
        return matched.Count > 0 ? matched : throw Error($"no selection matches '{pattern}'");
    }

    bool Accept(string token)
    {
        if (Peek() is { } next && next.Equals(token, StringComparison.OrdinalIgnoreCase))
        {
            _next++;
            return true;
        }

        return false;
    }

    string? Peek() => _next < _tokens.Count ? _tokens[_next] : null;

    string Take() => _next < _tokens.Count ? _tokens[_next++] : throw Error("the condition ends too early");

    static bool Keyword(string token) => token.ToLowerInvariant() is "and" or "or" or "not" or "of" or "(" or ")";

    RuleError Error(string what) => new($"condition: {what}", _line);

    [GeneratedRegex(@"\(|\)|[^\s()]+")]
    private static partial Regex Tokens();
}
