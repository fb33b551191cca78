namespace EventHub.Security.Rules;

/// <summary>
/// A Sigma field name over a Log Stream entry <c>{log_id, data}</c>: dotted keys from the entry (<c>data.details.request.ip</c>),
/// where <c>key{}</c> (Splunk's array notation, which Auth0's catalog uses) steps into every element of an array.
/// A name that does not start with <c>data</c> or <c>log_id</c> is read inside <c>data</c>.
/// </summary>
internal sealed class FieldPath
{
    FieldPath(string text, string[] keys)
    {
        Text = text;
        Keys = keys;
        IsType = keys is ["type"];
    }

    public string Text { get; }

    /// <summary>Keys below <c>data</c>; a key ending in <c>{}</c> flattens an array.</summary>
    public string[] Keys { get; }

    public bool IsLogId => Text == "log_id";

    /// <summary><c>data.type</c>: read from the typed entry, without parsing its JSON.</summary>
    public bool IsType { get; }

    public static FieldPath? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Contains("..", StringComparison.Ordinal) || text.StartsWith('.') || text.EndsWith('.'))
            return null;
        var keys = text.Split('.');
        return text == "log_id" ? new FieldPath(text, [])
            : keys[0] == "data" ? new FieldPath(text, keys[1..])
            : new FieldPath(text, keys);
    }

    public override string ToString() => Text;
}
