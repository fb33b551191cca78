using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventHub.Listeners.Filters;

/// <summary>
/// A listener's filter over an event (<c>id</c>, <c>name</c>, <c>source</c>, <c>time</c>, <c>payload.…</c>), in the
/// operator language of MongoDB queries (the one Convoy and Outpost use): each key of an object is a dotted path or
/// <c>$and</c>/<c>$or</c>/<c>$not</c>, and all keys must hold. A path's value is a literal (equality) or an object of
/// operators. A path through an array takes a numeric segment (<c>payload.items.0.sku</c>). Parsed once, at
/// registration, so a bad filter is a 400 there and never an error at delivery.
/// </summary>
internal sealed class PayloadFilter
{
    public const int MaxConditions = 100;
    const int MaxDepth = 8;
    const int MaxListLength = 256;
    static readonly string[] Roots = ["id", "name", "source", "time", "payload"];
    static readonly string[] Operators = ["$eq", "$ne", "$in", "$nin", "$exists", "$gt", "$gte", "$lt", "$lte", "$prefix", "$suffix", "$contains", "$cidr", "$not"];

    readonly Node _root;

    PayloadFilter(Node root, string json)
    {
        _root = root;
        Json = json;
    }

    /// <summary>The filter as given, to store and to show.</summary>
    public string Json { get; }

    /// <summary>Reads a filter, naming each problem as <c>field.path.$operator</c>; null when there were any.</summary>
    public static PayloadFilter? Parse(JsonElement element, string field, IDictionary<string, string[]> errors)
    {
        var before = errors.Count;
        var conditions = 0;
        var root = ReadObject(element, field, 0, errors, ref conditions);
        if (conditions > MaxConditions && errors.Count == before)
            errors[field] = [$"has {conditions} conditions: at most {MaxConditions}"];
        return errors.Count == before && root is not null ? new PayloadFilter(root, element.GetRawText()) : null;
    }

    /// <summary>A filter stored by <see cref="Json"/>; it was valid when stored.</summary>
    public static PayloadFilter FromStored(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new Dictionary<string, string[]>();
        return Parse(document.RootElement, "filter", errors) ?? throw new InvalidOperationException($"A stored filter no longer parses: {string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}"))}");
    }

    /// <summary>Whether the event matches; when not, the first condition that failed, for <c>POST /v1/filters/test</c>.</summary>
    public (bool Matches, string? Reason) Match(string id, string name, string source, DateTimeOffset time, string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var fields = new Event(id, name, source, time.ToString("O", CultureInfo.InvariantCulture), document.RootElement);
        var reason = _root.Fails(fields);
        return (reason is null, reason);
    }

    static Node? ReadObject(JsonElement element, string field, int depth, IDictionary<string, string[]> errors, ref int conditions)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors[field] = ["must be an object of paths (e.g. \"payload.connection\") and $and, $or, $not"];
            return null;
        }

        if (depth > MaxDepth)
        {
            errors[field] = [$"nests deeper than {MaxDepth} levels"];
            return null;
        }

        var parts = new List<Node>();
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{field}.{property.Name}";
            conditions++;
            switch (property.Name)
            {
                case "$and" or "$or":
                    if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
                    {
                        errors[at] = ["must be a non-empty array of filters"];
                        break;
                    }

                    var branches = new List<Node>();
                    var index = 0;
                    foreach (var branch in property.Value.EnumerateArray())
                    {
                        if (ReadObject(branch, $"{at}[{index++}]", depth + 1, errors, ref conditions) is { } node)
                            branches.Add(node);
                    }

                    parts.Add(property.Name == "$and" ? new All(branches) : new Any(branches));
                    break;
                case "$not":
                    if (ReadObject(property.Value, at, depth + 1, errors, ref conditions) is { } negated)
                        parts.Add(new Not(negated, property.Value.GetRawText()));
                    break;
                default:
                    if (ReadPath(property.Name, at, errors) is { } path && ReadTest(property.Value, path, at, depth, errors) is { } test)
                        parts.Add(new Condition(path, property.Name, test));
                    break;
            }
        }

        return new All(parts);
    }

    static string[]? ReadPath(string text, string field, IDictionary<string, string[]> errors)
    {
        var segments = text.Split('.');
        if (text.StartsWith('$'))
            errors[field] = [$"is not an operator here: use $and, $or or $not, or a path such as payload.ip"];
        else if (!Roots.Contains(segments[0]) || (segments[0] != "payload" && segments.Length > 1) || segments.Any(s => s.Length == 0) || text.Length > 256)
            errors[field] = ["is not a path: name, source, time, id, payload or payload.a.b (dotted, a number for an array item)"];
        else
            return segments;
        return null;
    }

    /// <summary>A path's value: an object of operators, or any other value meaning <c>$eq</c> to it.</summary>
    static Test? ReadTest(JsonElement value, string[] path, string field, int depth, IDictionary<string, string[]> errors)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any(p => p.Name.StartsWith('$')))
            return new Equal(value.Clone());

        var tests = new List<Test>();
        foreach (var property in value.EnumerateObject())
        {
            var at = $"{field}.{property.Name}";
            var test = ReadOperator(property.Name, property.Value, path, at, depth, errors);
            if (test is not null)
                tests.Add(test);
        }

        return tests.Count == value.EnumerateObject().Count() ? new Both(tests) : null;
    }

    static Test? ReadOperator(string op, JsonElement operand, string[] path, string field, int depth, IDictionary<string, string[]> errors)
    {
        string? problem = null;
        Test? test = null;
        switch (op)
        {
            case "$eq":
                test = new Equal(operand.Clone());
                break;
            case "$ne":
                test = new Negated(new Equal(operand.Clone()));
                break;
            case "$in" or "$nin":
                if (operand.ValueKind != JsonValueKind.Array || operand.GetArrayLength() is 0 or > MaxListLength)
                    problem = $"must be an array of 1 to {MaxListLength} values";
                else
                    test = op == "$in" ? new OneOf([.. operand.EnumerateArray().Select(e => e.Clone())]) : new Negated(new OneOf([.. operand.EnumerateArray().Select(e => e.Clone())]));
                break;
            case "$exists":
                if (operand.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    test = new Exists(operand.GetBoolean());
                else
                    problem = "must be true or false";
                break;
            case "$gt" or "$gte" or "$lt" or "$lte":
                if (operand.ValueKind == JsonValueKind.Number && operand.TryGetDouble(out var limit) && double.IsFinite(limit))
                    test = new Compare(op, limit, null);
                else if (Time(operand) is { } at)
                    test = new Compare(op, null, at);
                else
                    problem = "must be a number or an ISO 8601 date-time such as 2026-11-24T00:00:00Z";
                break;
            case "$prefix" or "$suffix" or "$contains":
                if (operand.ValueKind == JsonValueKind.String && operand.GetString()!.Length is > 0 and <= 1024)
                    test = new Text(op, operand.GetString()!);
                else
                    problem = "must be a non-empty string of at most 1024 characters";
                break;
            case "$cidr":
                var networks = operand.ValueKind == JsonValueKind.Array ? [.. operand.EnumerateArray()] : new[] { operand };
                var parsed = networks.Select(Network).ToList();
                if (networks.Length is 0 or > MaxListLength || parsed.Any(n => n is null))
                    problem = "must be an IPv4 or IPv6 network such as 203.0.113.0/24 or 2001:db8::/32 (or an array of them), without host bits";
                else
                    test = new InNetwork([.. parsed.Select(n => n!.Value)]);
                break;
            case "$not":
                if (operand.ValueKind != JsonValueKind.Object || depth >= MaxDepth)
                    problem = "must be an object of operators, e.g. {\"$cidr\": \"10.0.0.0/8\"}";
                else if (ReadTest(operand, path, field, depth + 1, errors) is { } inner)
                    test = new Negated(inner);
                break;
            default:
                problem = $"is not an operator: use one of {string.Join(", ", Operators)}";
                break;
        }

        if (problem is not null)
            errors[field] = [$"({op} on {string.Join('.', path)}) {problem}"];
        return test;
    }

    /// <summary>A network whose address has no bits past its prefix: 203.0.113.7/24 is refused as the likely typo it is.</summary>
    static IPNetwork? Network(JsonElement element) =>
        element.ValueKind == JsonValueKind.String && element.GetString() is { } text && text.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash
        && IPNetwork.TryParse(text, out var network) && IPAddress.TryParse(text.AsSpan(0, slash), out var given) && given.Equals(network.BaseAddress)
            ? network
            : null;

    static DateTimeOffset? Time(JsonElement element) =>
        element.ValueKind == JsonValueKind.String && element.GetString() is { Length: >= 10 } text && text.Contains('-', StringComparison.Ordinal)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    sealed record Event(string Id, string Name, string Source, string Time, JsonElement Payload)
    {
        /// <summary>The value at a path; null when it is missing (a JSON null is a value).</summary>
        public JsonElement? Resolve(string[] path)
        {
            if (path[0] != "payload")
                return JsonSerializer.SerializeToElement(path[0] switch { "id" => Id, "name" => Name, "source" => Source, _ => Time });
            var current = Payload;
            foreach (var segment in path.Skip(1))
            {
                if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
                    current = child;
                else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
                    current = current[index];
                else
                    return null;
            }

            return current;
        }
    }

    abstract class Node
    {
        /// <summary>Null when the event satisfies this; otherwise why not.</summary>
        public abstract string? Fails(Event e);
    }

    sealed class All(List<Node> parts) : Node
    {
        public override string? Fails(Event e) => parts.Select(p => p.Fails(e)).FirstOrDefault(r => r is not null);
    }

    sealed class Any(List<Node> parts) : Node
    {
        public override string? Fails(Event e)
        {
            var reasons = new List<string>();
            foreach (var part in parts)
            {
                if (part.Fails(e) is not { } reason)
                    return null;
                reasons.Add(reason);
            }

            return $"no branch of $or held: {string.Join("; ", reasons)}";
        }
    }

    sealed class Not(Node inner, string text) : Node
    {
        public override string? Fails(Event e) => inner.Fails(e) is null ? $"$not {text} held" : null;
    }

    sealed class Condition(string[] path, string text, Test test) : Node
    {
        public override string? Fails(Event e)
        {
            var value = e.Resolve(path);
            return test.Holds(value) ? null : value is null ? $"{text} is missing" : $"{text} does not satisfy {test}";
        }
    }

    abstract class Test
    {
        public abstract bool Holds(JsonElement? value);
    }

    sealed class Both(List<Test> tests) : Test
    {
        public override bool Holds(JsonElement? value) => tests.All(t => t.Holds(value));

        public override string ToString() => string.Join(" and ", tests);
    }

    sealed class Negated(Test inner) : Test
    {
        public override bool Holds(JsonElement? value) => !inner.Holds(value);

        public override string ToString() => $"not ({inner})";
    }

    sealed class Equal(JsonElement expected) : Test
    {
        public override bool Holds(JsonElement? value) => value is { } v && Same(v, expected);

        public override string ToString() => $"$eq {expected.GetRawText()}";

        /// <summary>JSON equality: numbers by value (1 equals 1.0), objects regardless of key order.</summary>
        public static bool Same(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
        {
            (JsonValueKind.Number, JsonValueKind.Number) => a.TryGetDouble(out var x) && b.TryGetDouble(out var y) ? x == y : a.GetRawText() == b.GetRawText(),
            (JsonValueKind.String, JsonValueKind.String) => a.GetString() == b.GetString(),
            var (x, y) when x != y => false,
            (JsonValueKind.Object or JsonValueKind.Array, _) => JsonNode.DeepEquals(JsonNode.Parse(a.GetRawText()), JsonNode.Parse(b.GetRawText())),
            _ => true,
        };
    }

    sealed class OneOf(List<JsonElement> values) : Test
    {
        public override bool Holds(JsonElement? value) => value is { } v && values.Any(e => Equal.Same(v, e));

        public override string ToString() => $"$in [{string.Join(", ", values.Select(v => v.GetRawText()))}]";
    }

    sealed class Exists(bool wanted) : Test
    {
        public override bool Holds(JsonElement? value) => (value is not null) == wanted;

        public override string ToString() => $"$exists {(wanted ? "true" : "false")}";
    }

    /// <summary>Numbers with numbers, date-times with date-times; anything else does not compare (and so does not match).</summary>
    sealed class Compare(string op, double? number, DateTimeOffset? time) : Test
    {
        public override bool Holds(JsonElement? value)
        {
            int? order = value is not { } v ? null
                : number is { } n && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? d.CompareTo(n)
                : time is { } t && Time(v) is { } at ? at.CompareTo(t)
                : null;
            return order is { } o && op switch { "$gt" => o > 0, "$gte" => o >= 0, "$lt" => o < 0, _ => o <= 0 };
        }

        public override string ToString() => $"{op} {(number is { } n ? n.ToString(CultureInfo.InvariantCulture) : time!.Value.ToString("O", CultureInfo.InvariantCulture))}";
    }

    /// <summary>Ordinal and case-sensitive; <c>$contains</c> also finds the string as an item of an array.</summary>
    sealed class Text(string op, string operand) : Test
    {
        public override bool Holds(JsonElement? value) => value switch
        {
            { ValueKind: JsonValueKind.String } s => op switch
            {
                "$prefix" => s.GetString()!.StartsWith(operand, StringComparison.Ordinal),
                "$suffix" => s.GetString()!.EndsWith(operand, StringComparison.Ordinal),
                _ => s.GetString()!.Contains(operand, StringComparison.Ordinal),
            },
            { ValueKind: JsonValueKind.Array } a => op == "$contains" && a.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.String && i.GetString() == operand),
            _ => false,
        };

        public override string ToString() => $"{op} \"{operand}\"";
    }

    /// <summary>An IPv4 address written as IPv6 (<c>::ffff:203.0.113.7</c>, as dual-stack servers log it) is also in the IPv4 network.</summary>
    sealed class InNetwork(List<IPNetwork> networks) : Test
    {
        public override bool Holds(JsonElement? value)
        {
            if (value is not { ValueKind: JsonValueKind.String } s || !IPAddress.TryParse(s.GetString(), out var address))
                return false;
            var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            return networks.Any(n => n.Contains(mapped));
        }

        public override string ToString() => $"$cidr {string.Join(" or ", networks)}";
    }
}
