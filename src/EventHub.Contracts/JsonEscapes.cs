namespace EventHub.Contracts;

/// <summary>
/// JSON text may escape half of a surrogate pair (<c>"\ud800"</c>): valid JSON, but it decodes to a string no UTF-8
/// writer, database or broker header accepts, so one attacker-typed string in a user field would fail its whole batch.
/// Every ingress repairs such escapes in the received bytes before it parses them, as Unicode itself does with
/// ill-formed text: each lone surrogate becomes U+FFFD, the replacement character. Well-formed text is left as it is.
/// </summary>
public static class JsonEscapes
{
    const int EscapeLength = 6;

    /// <summary>Rewrites each <c>\uXXXX</c> escape of a lone surrogate in <paramref name="utf8Json"/> to <c>\ufffd</c>, in place (same length); returns how many.</summary>
    public static int RepairLoneSurrogates(Span<byte> utf8Json)
    {
        var repaired = 0;
        var at = utf8Json.IndexOf((byte)'\\');
        while (at >= 0 && at + 1 < utf8Json.Length)
        {
            var next = at + 2;
            if (utf8Json[at + 1] == 'u' && CodeUnit(utf8Json, at) is { } unit && char.IsSurrogate(unit))
            {
                next = at + EscapeLength;
                if (char.IsHighSurrogate(unit) && CodeUnit(utf8Json, next) is { } low && char.IsLowSurrogate(low))
                {
                    next += EscapeLength;
                }
                else
                {
                    "\\ufffd"u8.CopyTo(utf8Json[at..]);
                    repaired++;
                }
            }

            var rest = next < utf8Json.Length ? utf8Json[next..].IndexOf((byte)'\\') : -1;
            at = rest < 0 ? -1 : next + rest;
        }

        return repaired;
    }

    /// <summary>The code unit of a <c>\uXXXX</c> escape starting at <paramref name="at"/>, or null when there is none.</summary>
    static char? CodeUnit(ReadOnlySpan<byte> json, int at)
    {
        if (at + EscapeLength > json.Length || json[at] != '\\' || json[at + 1] != 'u')
            return null;
        var value = 0;
        for (var i = at + 2; i < at + EscapeLength; i++)
        {
            var digit = HexValue(json[i]);
            if (digit < 0)
                return null;
            value = (value << 4) | digit;
        }

        return (char)value;
    }

    static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
