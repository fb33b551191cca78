namespace EventHub.Storage;

/// <summary>
/// Text from outside (a receiver's response, a pull client's error) as both databases can store it: PostgreSQL refuses a
/// NUL in a text column and its driver refuses a lone surrogate, either of which would fail the whole write it is in.
/// Each becomes U+FFFD, as a UTF-8 decoder shows what it cannot read.
/// </summary>
public static class StorableText
{
    public static string? From(string? text)
    {
        if (text is null || !NeedsRepair(text))
            return text;
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    span[i] = c;
                    span[++i] = source[i];
                }
                else
                {
                    span[i] = c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c;
                }
            }
        });
    }

    static bool NeedsRepair(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || char.IsLowSurrogate(c))
                return true;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return true;
                i++;
            }
        }

        return false;
    }
}
