namespace EventHub.Contracts;

/// <summary>The rules for event names: lowercase dotted words of <c>[a-z0-9_-]</c>, at most 255 characters.</summary>
public static class EventName
{
    /// <summary>The longest event name (RabbitMQ's routing key limit).</summary>
    public const int MaxLength = 255;

    /// <summary>The prefix only the Auth0 ingress may use.</summary>
    public const string ReservedAuth0Prefix = "auth0.";

    /// <summary>
    /// The name's first word when only the hub may publish it: <c>auth0</c> (the Auth0 ingress) or <c>security</c>
    /// (the hub's detections), bare or as a prefix, since <c>auth0.#</c> also matches a bare <c>auth0</c>; otherwise null.
    /// </summary>
    public static string? ReservedWord(string name)
    {
        var first = name.Split('.', 2)[0];
        return first is "auth0" or "security" ? first : null;
    }

    /// <summary>Whether <paramref name="name"/> is a valid event name, e.g. <c>order.placed</c>.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
            return false;
        var wordLength = 0;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (wordLength == 0)
                    return false;
                wordLength = 0;
            }
            else if (IsWordChar(c))
            {
                wordLength++;
            }
            else
            {
                return false;
            }
        }

        return wordLength > 0;
    }

    internal static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';
}
