using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EventHub.Security.Rules;

/// <summary>Compiles a rule's <c>detection</c>: its named selections, then its <c>condition</c> (a list of conditions is their OR).</summary>
internal static class DetectionCompiler
{
    static readonly HashSet<string> Unsupported = ["base64", "base64offset", "utf16", "utf16le", "utf16be", "wide", "windash", "expand", "fieldref"];

    public static SigmaRule Compile(YamlMappingNode root, RuleInfo info)
    {
        if (SigmaRuleLoader.Child(root, "detection") is not YamlMappingNode detection)
            throw new RuleError("detection is required and must be a mapping", info.Line);
        var selections = new Dictionary<string, Selection>(StringComparer.Ordinal);
        foreach (var (key, value) in detection.Children)
        {
            var name = key is YamlScalarNode { Value: { } text } ? text : throw new RuleError("a selection's name must be text", key.Start.Line);
            if (name is "condition")
                continue;
            if (name is "timeframe")
                throw new RuleError("timeframe is Sigma v1: write a correlation rule with a timespan instead", key.Start.Line);
            selections[name] = new Selection(name, Alternatives(name, value));
        }

        var conditionNode = SigmaRuleLoader.Child(detection, "condition") ?? throw new RuleError("detection has no condition", detection.Start.Line);
        var texts = conditionNode switch
        {
            YamlScalarNode { Value: { } text } => [text],
            YamlSequenceNode items => items.OfType<YamlScalarNode>().Select(i => i.Value ?? "").ToList(),
            _ => throw new RuleError("condition must be text or a list of texts", conditionNode.Start.Line),
        };
        var parts = texts.Select(t => ConditionParser.Parse(t, selections, conditionNode.Start.Line)).ToList();
        var condition = parts.Count == 1 ? parts[0] : new Condition.Any(parts);
        return new SigmaRule(info, condition, [.. selections.Values]);
    }

    static List<IReadOnlyList<FieldCondition>> Alternatives(string name, YamlNode node) => node switch
    {
        YamlMappingNode map => [Fields(map)],
        YamlSequenceNode items when items.Children.Count > 0 && items.All(i => i is YamlMappingNode) => [.. items.Cast<YamlMappingNode>().Select(Fields)],
        _ => throw new RuleError($"selection '{name}': keyword searches (values without a field) are not supported; name the field", node.Start.Line),
    };

    // The AND of a map tests fields the typed entry carries first: an entry they rule out costs no parse of its JSON.
    static List<FieldCondition> Fields(YamlMappingNode map) =>
        [.. map.Children.Select(pair => pair.Key is YamlScalarNode key ? Field(key, pair.Value) : throw new RuleError("a field name must be text", pair.Key.Start.Line))
            .OrderBy(condition => condition.Path.NeedsJson)];

    static FieldCondition Field(YamlScalarNode key, YamlNode node)
    {
        var line = key.Start.Line;
        var parts = (key.Value ?? "").Split('|');
        var path = FieldPath.Parse(parts[0]) ?? throw new RuleError($"'{key.Value}' does not name a field", line);
        var modifiers = parts[1..].Select(m => m.Trim().ToLowerInvariant()).ToList();
        foreach (var modifier in modifiers)
        {
            if (Unsupported.Contains(modifier))
                throw new RuleError($"modifier '{modifier}' is not supported (Auth0 entries carry no Windows command lines or encoded blobs)", line);
            if (modifier is not ("contains" or "startswith" or "endswith" or "all" or "re" or "i" or "m" or "s" or "cidr" or "exists" or "cased" or "gt" or "gte" or "lt" or "lte"))
                throw new RuleError($"unknown modifier '{modifier}'", line);
        }

        var values = Values(node);
        if (modifiers.Contains("exists"))
        {
            return values is [{ } flag] && bool.TryParse(flag, out var wanted)
                ? new FieldCondition(path, [], false, false, wanted)
                : throw new RuleError($"'{key.Value}' takes true or false", line);
        }

        var matchesNull = values.Contains(null);
        var patterns = values.OfType<string>().Select(v => Pattern(v, modifiers, line)).ToList();
        var plain = modifiers.Count == 0 && !matchesNull && values.All(v => v!.IndexOfAny(['*', '?', '\\']) < 0);
        return new FieldCondition(path, patterns, modifiers.Contains("all"), matchesNull, null)
        {
            TypeValues = path.IsType && plain ? [.. values.OfType<string>()] : null,
        };
    }

    static Func<string, bool> Pattern(string value, List<string> modifiers, long line)
    {
        if (modifiers.Contains("re"))
            return ValuePatterns.Regular(value, modifiers.Contains("i"), modifiers.Contains("m"), modifiers.Contains("s"), line);
        if (modifiers.Contains("cidr"))
            return ValuePatterns.Cidr(value, line);
        if (modifiers.FirstOrDefault(m => m is "gt" or "gte" or "lt" or "lte") is { } comparison)
            return ValuePatterns.Compare(comparison, value, line);
        var contains = modifiers.Contains("contains");
        return ValuePatterns.Wildcard(value, contains || modifiers.Contains("endswith"), contains || modifiers.Contains("startswith"), modifiers.Contains("cased"));
    }

    /// <summary>A scalar or a list of scalars; a plain <c>null</c>, <c>~</c> or empty value is null.</summary>
    static List<string?> Values(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [Scalar(scalar)],
        YamlSequenceNode items => [.. items.Select(i => i is YamlScalarNode s ? Scalar(s) : throw new RuleError("a value list may only hold plain values", i.Start.Line))],
        _ => throw new RuleError("a field's value must be a value or a list of values", node.Start.Line),
    };

    static string? Scalar(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "null" or "Null" or "NULL" or "~" ? null : scalar.Value ?? "";
}
