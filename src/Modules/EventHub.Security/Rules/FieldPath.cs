using System.Collections.Concurrent;

namespace EventHub.Security.Rules;

/// <summary>
/// A Sigma field name over a Log Stream entry <c>{log_id, data}</c>: dotted keys from the entry (<c>data.details.request.ip</c>),
/// where <c>key{}</c> (Splunk's array notation, which Auth0's catalog uses) steps into every element of an array.
/// A name that does not start with <c>data</c> or <c>log_id</c> is read inside <c>data</c>.
/// </summary>
internal sealed class FieldPath
{
    // Every distinct field name any rule reads gets a slot, so an entry keeps the values it read in an array, not a map.
    static readonly ConcurrentDictionary<string, int> Slots = new(StringComparer.Ordinal);
    static int _slotCount;

    FieldPath(string text, string[] keys)
    {
        Text = text;
        Keys = keys;
        IsType = keys is ["type"];
        NeedsJson = !IsType && !IsLogId && !(keys is [var key] && TypedFields.Has(key));
        Slot = Slots.GetOrAdd(text, _ => Interlocked.Increment(ref _slotCount) - 1);
    }

    /// <summary>The index of this field's values in a <see cref="SigmaEntry"/>.</summary>
    public int Slot { get; }

    public static int SlotCount => Volatile.Read(ref _slotCount);

    /// <summary>Read from the entry's JSON rather than from the typed entry.</summary>
    public bool NeedsJson { get; }

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
