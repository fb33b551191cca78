using System.Globalization;
using EventHub.Security.TypedAlerts;
using YamlDotNet.RepresentationModel;

namespace EventHub.Security.Rules;

/// <summary>
/// Compiles a Sigma correlation (<c>event_count</c>, <c>value_count</c>, <c>temporal</c>). Conditions that only hold when
/// entries are missing (<c>lt</c>, <c>lte</c>, <c>eq</c>) are refused: the hub alerts on what arrives and has no timer
/// that would notice an absence.
/// </summary>
internal static class CorrelationCompiler
{
    static readonly TimeSpan LongestTimespan = TimeSpan.FromDays(90);

    public static SigmaCorrelation Compile(YamlMappingNode root, RuleInfo info, IReadOnlyList<SigmaRule> rules)
    {
        if (SigmaRuleLoader.Child(root, "correlation") is not YamlMappingNode correlation)
            throw new RuleError("correlation must be a mapping", info.Line);
        var line = correlation.Start.Line;
        var type = SigmaRuleLoader.Text(correlation, "type") ?? throw new RuleError("correlation type is required", line);
        if (type is not ("event_count" or "value_count" or "temporal"))
            throw new RuleError($"correlation type '{type}' is not supported (event_count, value_count, temporal)", line);
        if (SigmaRuleLoader.Child(correlation, "aliases") is not null)
            throw new RuleError("correlation aliases are not supported", line);
        var referenced = SigmaRuleLoader.List(correlation, "rules");
        if (referenced.Count == 0)
            throw new RuleError("correlation rules are required", line);
        var used = referenced.Select(name => Resolve(name, info, rules, line)).Distinct().ToList();
        var groupBy = SigmaRuleLoader.List(correlation, "group-by")
            .Select(f => FieldPath.Parse(f) ?? throw new RuleError($"group-by '{f}' does not name a field", line))
            .ToList();
        var timespan = Timespan(SigmaRuleLoader.Text(correlation, "timespan"), line);
        var (threshold, field) = Condition(correlation, type, used.Count, line);
        var generate = SigmaRuleLoader.Text(correlation, "generate") is { } flag && bool.TryParse(flag, out var on) && on;
        return new SigmaCorrelation(info, type, used, groupBy, timespan, threshold, field, generate, Alert(root, info));
    }

    /// <summary>
    /// <c>alert:</c> names the typed alert a built-in correlation raises. An operator's rule may not: it would share the
    /// built-in one's state and alert ids, and those alerts' thresholds are settings (docs/adr/0030).
    /// </summary>
    static TypedAlert? Alert(YamlMappingNode root, RuleInfo info)
    {
        if (SigmaRuleLoader.Text(root, "alert") is not { } name)
            return null;
        var line = SigmaRuleLoader.Child(root, "alert")!.Start.Line;
        var alert = TypedAlertNames.Find(name)
            ?? throw new RuleError($"alert '{name}' is not a typed alert ({string.Join(", ", TypedAlertNames.All.Select(a => a.Name))})", line);
        return info.BuiltIn
            ? alert
            : throw new RuleError($"alert '{name}' is raised by the built-in rule only; set its EventHub__Security__ settings, or leave alert out to raise a security.detection event", line);
    }

    /// <summary>A rule of the same file by its own name first (Auth0's files all call theirs <c>selected_events</c>), then any rule by name or id.</summary>
    static SigmaRule Resolve(string reference, RuleInfo info, IReadOnlyList<SigmaRule> rules, long line) =>
        rules.FirstOrDefault(r => r.Info.File == info.File && r.Info.Reference == reference)
        ?? rules.FirstOrDefault(r => r.Info.Name == reference || r.Info.Id == reference)
        ?? throw new RuleError($"correlation names rule '{reference}', which is not loaded", line);

    static TimeSpan Timespan(string? text, long line)
    {
        if (text is null || text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount == 0)
            throw new RuleError($"timespan '{text}' is not valid: use a number with s, m, h or d (e.g. 10m)", line);
        var span = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            'w' => TimeSpan.FromDays(amount * 7.0),
            _ => throw new RuleError($"timespan '{text}' is not valid: use a number with s, m, h or d (e.g. 10m)", line),
        };
        return span <= LongestTimespan ? span : throw new RuleError($"timespan '{text}' is longer than {LongestTimespan.TotalDays} days", line);
    }

    static (int Threshold, FieldPath? Field) Condition(YamlMappingNode correlation, string type, int ruleCount, long line)
    {
        var node = SigmaRuleLoader.Child(correlation, "condition");
        if (node is null)
        {
            return type == "temporal" ? (ruleCount, null) : throw new RuleError($"{type} needs a condition", line);
        }

        if (node is not YamlMappingNode condition)
            throw new RuleError("condition must be a mapping such as {gte: 10}", node.Start.Line);
        FieldPath? field = null;
        if (SigmaRuleLoader.Text(condition, "field") is { } name)
            field = FieldPath.Parse(name) ?? throw new RuleError($"condition field '{name}' does not name a field", node.Start.Line);
        if (type == "value_count" && field is null)
            throw new RuleError("value_count needs condition.field", node.Start.Line);
        int? threshold = null;
        foreach (var op in new[] { "gt", "gte", "eq", "lt", "lte" })
        {
            if (SigmaRuleLoader.Text(condition, op) is not { } text)
                continue;
            if (op is "eq" or "lt" or "lte")
                throw new RuleError($"condition '{op}' only holds when entries are missing, which the hub cannot observe as they arrive", node.Start.Line);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bound) || bound > 100_000)
                throw new RuleError($"condition {op} '{text}' is not a count from 0 to 100000", node.Start.Line);
            threshold = Math.Max(1, op == "gt" ? bound + 1 : bound);
        }

        return threshold is { } count
            ? (type == "temporal" ? Math.Max(count, ruleCount) : count, field)
            : throw new RuleError("condition needs gt or gte", node.Start.Line);
    }
}
