using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace EventHub.Security.Rules;

/// <summary>Turns one Sigma value and its modifiers into a test on a field's text value.</summary>
internal static class ValuePatterns
{
    // Rules come from operators' folders: a regular expression must not be able to stall the consumer.
    static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A plain value with Sigma wildcards (<c>*</c>, <c>?</c>, escaped with <c>\</c>), compared case-insensitively unless
    /// <paramref name="cased"/>; <c>contains</c>, <c>startswith</c> and <c>endswith</c> add the wildcards.
    /// </summary>
    public static Func<string, bool> Wildcard(string value, bool anyPrefix, bool anySuffix, bool cased)
    {
        var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var tokens = Tokenize(value);
        if (!tokens.Exists(t => t.Wildcard))
        {
            var literal = string.Concat(tokens.Select(t => t.Char));
            return (anyPrefix, anySuffix) switch
            {
                (true, true) => text => text.Contains(literal, comparison),
                (true, false) => text => text.EndsWith(literal, comparison),
                (false, true) => text => text.StartsWith(literal, comparison),
                _ => text => string.Equals(text, literal, comparison),
            };
        }

        var pattern = new StringBuilder(anyPrefix ? "" : "^");
        foreach (var (c, wildcard) in tokens)
            pattern.Append(!wildcard ? Regex.Escape(c.ToString()) : c == '*' ? ".*" : ".");
        if (!anySuffix)
            pattern.Append('$');
        var options = RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | (cased ? RegexOptions.None : RegexOptions.IgnoreCase);
        var regex = new Regex(pattern.ToString(), options);
        return regex.IsMatch;
    }

    /// <summary><c>re</c> (with <c>re|i</c>, <c>re|m</c>, <c>re|s</c>): case-sensitive, unanchored, as in the Sigma spec.</summary>
    public static Func<string, bool> Regular(string pattern, bool ignoreCase, bool multiline, bool dotAll, long line)
    {
        var options = RegexOptions.CultureInvariant
            | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None)
            | (multiline ? RegexOptions.Multiline : RegexOptions.None)
            | (dotAll ? RegexOptions.Singleline : RegexOptions.None);
        Regex regex;
        try
        {
            // Linear time whatever the input; patterns it cannot run (lookarounds, backreferences) get a time budget instead.
            regex = new Regex(pattern, options | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            regex = Build(pattern, options, line);
        }
        catch (ArgumentException invalid)
        {
            throw new RuleError($"invalid regular expression '{pattern}': {invalid.Message}", line);
        }

        return text =>
        {
            try
            {
                return regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        };
    }

    static Regex Build(string pattern, RegexOptions options, long line)
    {
        try
        {
            return new Regex(pattern, options, RegexBudget);
        }
        catch (ArgumentException invalid)
        {
            throw new RuleError($"invalid regular expression '{pattern}': {invalid.Message}", line);
        }
    }

    public static Func<string, bool> Cidr(string value, long line)
    {
        if (!IPNetwork.TryParse(value.Trim(), out var network))
            throw new RuleError($"'{value}' is not a CIDR range (cidr)", line);
        return text => IPAddress.TryParse(text.Trim(), out var address)
            && network.Contains(address.IsIPv4MappedToIPv6 && network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv4() : address);
    }

    public static Func<string, bool> Compare(string modifier, string value, long line)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
            throw new RuleError($"'{value}' is not a number ({modifier})", line);
        Func<double, bool> test = modifier switch
        {
            "gt" => n => n > bound,
            "gte" => n => n >= bound,
            "lt" => n => n < bound,
            _ => n => n <= bound,
        };
        return text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && test(number);
    }

    /// <summary>Sigma escaping: <c>\</c> before <c>*</c>, <c>?</c> or <c>\</c> makes it literal; any other backslash is itself.</summary>
    static List<(char Char, bool Wildcard)> Tokenize(string value)
    {
        var tokens = new List<(char, bool)>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
                tokens.Add((value[++i], false));
            else
                tokens.Add((c, c is '*' or '?'));
        }

        return tokens;
    }
}
