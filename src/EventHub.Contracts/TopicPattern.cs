namespace EventHub.Contracts;

/// <summary>
/// A topic pattern over event names with RabbitMQ's semantics: words separated by dots, <c>*</c> matches exactly one
/// word, <c>#</c> matches zero or more words. The one implementation every part of the hub matches names with.
/// </summary>
public sealed class TopicPattern
{
    readonly string[] _words;

    TopicPattern(string text, string[] words)
    {
        Text = text;
        _words = words;
    }

    /// <summary>The pattern as written, e.g. <c>order.*</c> or <c>auth0.#</c>.</summary>
    public string Text { get; }

    /// <summary>Parses a pattern; <c>null</c> when it is not one (see <see cref="TryParse"/> for the reason).</summary>
    public static TopicPattern? Parse(string? text) => TryParse(text, out var pattern, out _) ? pattern : null;

    /// <summary>Parses a pattern: dotted words of <c>[a-z0-9_-]</c>, or <c>*</c> or <c>#</c> as whole words; at most 255 characters.</summary>
    public static bool TryParse(string? text, out TopicPattern? pattern, out string? error)
    {
        pattern = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty";
            return false;
        }

        if (text.Length > EventName.MaxLength)
        {
            error = $"is longer than {EventName.MaxLength} characters";
            return false;
        }

        var words = text.Split('.');
        foreach (var word in words)
        {
            if (word.Length == 0)
            {
                error = "has an empty word (two dots, or a dot at an end)";
                return false;
            }

            if (word is "*" or "#")
                continue;
            if (!word.All(EventName.IsWordChar))
            {
                error = $"has an invalid word '{word}': use lowercase letters, digits, '_' and '-', or a whole-word '*' or '#'";
                return false;
            }
        }

        error = null;
        pattern = new TopicPattern(text, words);
        return true;
    }

    /// <summary>Whether the event name matches, exactly as a RabbitMQ topic binding with this key would route it.</summary>
    public bool Matches(string name) => Match(_words, 0, name.Split('.'), 0);

    /// <summary>
    /// Whether every name <paramref name="other"/> matches is matched by this pattern too (<c>order.#</c> covers
    /// <c>order.*</c>). Conservative: when unsure (a <c>#</c> in <paramref name="other"/> against a <c>*</c> here), no.
    /// </summary>
    public bool Covers(TopicPattern other)
    {
        var memo = new bool?[_words.Length + 1, other._words.Length + 1];
        return Covers(_words, 0, other._words, 0, memo);
    }

    /// <summary>Whether some event name matches both patterns (<c>*.created</c> and <c>auth0.#</c> do).</summary>
    public bool Overlaps(TopicPattern other)
    {
        var memo = new bool?[_words.Length + 1, other._words.Length + 1];
        return Overlaps(_words, 0, other._words, 0, memo);
    }

    /// <summary>The literal part before the first wildcard (e.g. <c>order.</c> for <c>order.*</c>), for index-friendly prefiltering.</summary>
    public string LiteralPrefix
    {
        get
        {
            var wildcard = Text.IndexOfAny(['*', '#']);
            return wildcard < 0 ? Text : Text[..wildcard];
        }
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    // Both walk pairs of word positions with a memo, so each pair is decided once: quadratic, never exponential.
    static bool Covers(string[] outer, int i, string[] inner, int j, bool?[,] memo)
    {
        if (memo[i, j] is { } known)
            return known;
        bool result;
        if (i == outer.Length)
            result = j == inner.Length;
        else if (outer[i] == "#")
            result = Covers(outer, i + 1, inner, j, memo) || (j < inner.Length && Covers(outer, i, inner, j + 1, memo));
        else if (j == inner.Length || inner[j] == "#")
            result = false;
        else
            result = (outer[i] == "*" || outer[i] == inner[j]) && Covers(outer, i + 1, inner, j + 1, memo);
        memo[i, j] = result;
        return result;
    }

    static bool Overlaps(string[] a, int i, string[] b, int j, bool?[,] memo)
    {
        if (memo[i, j] is { } known)
            return known;
        bool result;
        if (i < a.Length && a[i] == "#")
            result = Overlaps(a, i + 1, b, j, memo) || (j < b.Length && Overlaps(a, i, b, j + 1, memo));
        else if (j < b.Length && b[j] == "#")
            result = Overlaps(a, i, b, j + 1, memo) || (i < a.Length && Overlaps(a, i + 1, b, j, memo));
        else if (i == a.Length || j == b.Length)
            result = i == a.Length && j == b.Length;
        else
            result = (a[i] == "*" || b[j] == "*" || a[i] == b[j]) && Overlaps(a, i + 1, b, j + 1, memo);
        memo[i, j] = result;
        return result;
    }

    // Dynamic programming over (pattern word, name word): linear in their product, so a pattern of many '#' cannot
    // make matching exponential.
    static bool Match(string[] pattern, int p, string[] words, int w)
    {
        var next = new bool[words.Length + 1];
        var current = new bool[words.Length + 1];
        next[words.Length] = true;
        for (var i = pattern.Length - 1; i >= p; i--)
        {
            var word = pattern[i];
            current[words.Length] = word == "#" && next[words.Length];
            for (var j = words.Length - 1; j >= w; j--)
            {
                current[j] = word switch
                {
                    "#" => next[j] || current[j + 1],
                    "*" => next[j + 1],
                    _ => word == words[j] && next[j + 1],
                };
            }

            (next, current) = (current, next);
        }

        return next[w];
    }
}
