using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventHub.TestSupport;

/// <summary>
/// Strings and bodies an attacker (or a broken client) can send: escapes that decode to invalid UTF-16 or control
/// characters, markup and injection text, odd sizes and shapes, mutations of valid bodies and random bytes. Seeded, so a
/// failing case can be replayed: every case carries its description.
/// </summary>
public sealed class HostileInput(int seed)
{
    readonly Random _random = new(seed);

    /// <summary>String values as they appear inside JSON quotes (already escaped where the escape is the point).</summary>
    public static readonly string[] EscapedStrings =
    [
        @"\ud800", @"\udc00", @"\udbff\udbff", @"\udc00\ud800", @"abc\ud83d", @"\ud83dabc", @"\ud83d\u0041", @"x\udfffy",
        @"\u0000", @"a\u0000b", @"\u0001\u0002\u001f", @"\u007f", @"\u0085", @"\u2028\u2029", @"\ufeff", @"\u202e\u202d",
        @"\uffff", @"\ufffe", @"\ud83d\ude00", @"e\u0301\u0301\u0301", @"\r\nX-Injected: 1", @"\t\b\f", @"%00%0d%0a",
        @"<script>alert(1)</script>", @"'; DROP TABLE events; --", @"{{7*7}}", @"${jndi:ldap://127.0.0.1/a}", @"../../../etc/passwd",
        @"\\ud800", @"\\", @"\/", "", " ", "#", "*", "a.#.b", "..", "auth0", "security.brute_force.detected", "\u00e9\u4e2d\u6587",
    ];

    /// <summary>A hostile string value, escaped for JSON.</summary>
    public string EscapedString() => _random.Next(8) == 0 ? Long() : EscapedStrings[_random.Next(EscapedStrings.Length)];

    string Long() => _random.Next(3) switch
    {
        0 => new string('a', _random.Next(256, 70_000)),
        1 => string.Concat(Enumerable.Repeat(@"\ud800", _random.Next(10, 2000))),
        _ => string.Concat(Enumerable.Repeat(@"\u0000", _random.Next(10, 2000))),
    };

    /// <summary>A JSON value of a random kind (the hostile strings among them), nested at most <paramref name="depth"/> deep.</summary>
    public string Value(int depth = 3) => _random.Next(depth > 0 ? 9 : 6) switch
    {
        0 => "null",
        1 => _random.Next(2) == 0 ? "true" : "false",
        2 => Number(),
        3 or 4 or 5 => Quoted(EscapedString()),
        6 => "[" + string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth - 1))) + "]",
        _ => "{" + string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => Quoted(EscapedString()) + ":" + Value(depth - 1))) + "}",
    };

    string Number() => _random.Next(6) switch
    {
        0 => "0",
        1 => "-1",
        2 => "1e308",
        3 => "123456789012345678901234567890",
        4 => "-0.0000000001",
        _ => _random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// <paramref name="valid"/> with one change: a string value or a field name replaced by a hostile one, a value of
    /// another kind, a field removed, or the text cut or spliced. The names of <paramref name="keep"/> are never touched,
    /// so a test can still find what it sent.
    /// </summary>
    public (string Body, string Change) Mutate(JsonNode valid, params string[] keep)
    {
        var copy = valid.DeepClone();
        var fields = Leaves(copy).Where(leaf => !keep.Contains(leaf.Name)).ToList();
        var kind = _random.Next(fields.Count > 0 ? 6 : 2);
        if (kind >= 2)
        {
            var (parent, name, _) = fields[_random.Next(fields.Count)];
            var was = Cut(parent.ToJsonString());
            // The hostile text goes in as raw JSON in place of a marker: a JsonNode could not hold an invalid escape.
            var raw = kind switch { 2 or 3 => Quoted(EscapedString()), 4 => Value(), _ => null };
            if (parent is JsonObject obj)
            {
                if (raw is null)
                    obj.Remove(name);
                else
                    obj[name] = Marker;
            }

            var text = copy.ToJsonString();
            return (raw is null ? text : text.Replace(Quoted(Marker), raw, StringComparison.Ordinal), $"{name}: {raw ?? "removed"} (was in {was})");
        }

        if (kind == 0)
        {
            var json = copy.ToJsonString();
            var at = _random.Next(json.Length);
            return (json[..at], $"cut at {at}");
        }

        // A raw hostile escape spliced into a string value that is not kept: the text is still valid JSON.
        var strings = fields.Where(f => f.Value is JsonValue v && v.TryGetValue<string>(out _)).ToList();
        if (strings.Count == 0)
            return (copy.ToJsonString(), "unchanged");
        var (target, field, value) = strings[_random.Next(strings.Count)];
        var escape = EscapedStrings[_random.Next(12)];
        target.AsObject()[field] = Marker;
        var spliced = "\"" + escape + JsonEncodedText.Encode(value!.GetValue<string>()).ToString() + "\"";
        return (copy.ToJsonString().Replace(Quoted(Marker), spliced, StringComparison.Ordinal), $"{field}: {escape} spliced in");
    }

    /// <summary>Bytes that are not JSON, or barely: random bytes, invalid UTF-8, BOMs, deep nesting, NUL bytes.</summary>
    public (byte[] Body, string Change) Garbage()
    {
        switch (_random.Next(7))
        {
            case 0:
                var bytes = new byte[_random.Next(1, 2048)];
                _random.NextBytes(bytes);
                return (bytes, "random bytes");
            case 1:
                return ([0x5B, 0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D, 0x5D], "overlong and surrogate UTF-8");
            case 2:
                return ([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x5B, 0x5D], "two BOMs");
            case 3:
                return (Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), "nested 5000 deep");
            case 4:
                return ([0x7B, 0x00, 0x7D], "NUL byte");
            case 5:
                return (Encoding.Unicode.GetBytes("[{\"name\":\"order.placed\"}]"), "UTF-16 body");
            default:
                return (Encoding.UTF8.GetBytes(Value(6)), "random JSON value");
        }
    }

    const string Marker = "__hostile_value__";

    public int Next(int max) => _random.Next(max);

    public static string Quoted(string escaped) => "\"" + escaped + "\"";

    static string Cut(string text) => text.Length > 80 ? text[..80] + "…" : text;

    static IEnumerable<(JsonNode Parent, string Name, JsonNode? Value)> Leaves(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj.ToList())
            {
                yield return (obj, name, value);
                if (value is not null)
                {
                    foreach (var leaf in Leaves(value))
                        yield return leaf;
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array.Where(i => i is not null))
            {
                foreach (var leaf in Leaves(item!))
                    yield return leaf;
            }
        }
    }
}
