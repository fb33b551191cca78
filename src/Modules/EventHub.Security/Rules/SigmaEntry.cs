using System.Text.Json;
using EventHub.Contracts.Auth0;

namespace EventHub.Security.Rules;

/// <summary>
/// One Auth0 entry as the rules see it. Its JSON is parsed the first time a rule reads a field the typed entry did not
/// already carry (<paramref name="typed"/>: top-level string fields such as <c>description</c>, see <see cref="TypedFields"/>), so most entries, whose
/// type or description no rule wants, cost no parse.
/// </summary>
internal sealed class SigmaEntry(string logId, string type, string payload, IAuth0LogEvent? typed = null) : IDisposable
{
    // Most fields a rule reads are absent from most entries: they share one empty list instead of allocating their own.
    static readonly List<string?> None = [];

    JsonDocument? _document;
    bool _parsed;
    List<string?>?[]? _values;
    List<string?>? _type;

    public string LogId => logId;

    public string Type => type;

    /// <summary>The values at <paramref name="path"/> (a JSON null is null); empty when the field is absent. Read once per entry: rules share fields. Not to be changed by the caller.</summary>
    public List<string?> Values(FieldPath path)
    {
        if (path.IsType)
            return _type ??= [type];
        if (_values is null || path.Slot >= _values.Length)
            Array.Resize(ref _values, FieldPath.SlotCount);
        if (_values[path.Slot] is { } known)
            return known;
        List<string?>? values = null;
        // A null typed field may be a number or an object in the JSON: only a string value is taken as it is.
        if (path.Keys is [var key] && typed is not null && TypedFields.TryGet(typed, key, out var value))
            values = [value];
        else if (path.IsLogId)
            values = [logId];
        else if (Data() is { } data)
            Collect(data, path.Keys, 0, ref values);
        return _values[path.Slot] = values ?? None;
    }

    JsonElement? Data()
    {
        if (!_parsed)
        {
            _parsed = true;
            try
            {
                _document = JsonDocument.Parse(payload);
            }
            catch (JsonException)
            {
                // The ingress only publishes parsed entries; a payload that is not JSON has no fields to match.
                _document = null;
            }
        }

        return _document?.RootElement;
    }

    static void Collect(JsonElement element, string[] keys, int index, ref List<string?>? into)
    {
        if (index == keys.Length)
        {
            Leaf(element, ref into);
            return;
        }

        var key = keys[index];
        var flatten = key.EndsWith("{}", StringComparison.Ordinal);
        if (flatten)
            key = key[..^2];
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out var child))
            return;
        if (flatten && child.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in child.EnumerateArray())
                Collect(item, keys, index + 1, ref into);
            return;
        }

        Collect(child, keys, index + 1, ref into);
    }

    static void Leaf(JsonElement element, ref List<string?>? into)
    {
        into ??= new List<string?>(1);
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                into.Add(element.GetString());
                break;
            case JsonValueKind.Null:
                into.Add(null);
                break;
            case JsonValueKind.True:
                into.Add("true");
                break;
            case JsonValueKind.False:
                into.Add("false");
                break;
            case JsonValueKind.Array:
                // A multi-valued field at the end of a path matches on any element, as SIEMs treat them.
                foreach (var item in element.EnumerateArray())
                    into.Add(item.ValueKind == JsonValueKind.String ? item.GetString() : item.ValueKind == JsonValueKind.Null ? null : item.GetRawText());
                break;
            default:
                into.Add(element.GetRawText());
                break;
        }
    }

    public void Dispose() => _document?.Dispose();
}
