using System.Text.Json.Nodes;
using EventHub.Security.Rules;

namespace EventHub.Security.Tests;

/// <summary>Rule sets compiled from YAML text and entries from <c>data</c> JSON, for the engine's unit tests.</summary>
internal static class SigmaEntries
{
    public static RuleSet Load(params string[] files) =>
        SigmaRuleLoader.Load(files.Select((text, i) => new RuleSource($"test/rule-{i + 1}.yml", text)));

    public static SigmaEntry Entry(string data, string logId = "90020261120000000000000000000000000000000000000000000001") =>
        new(logId, JsonNode.Parse(data)?["type"]?.GetValue<string>() ?? "", data);

    /// <summary>A one-selection rule named <c>probe</c> over <paramref name="selection"/> (YAML, indented under <c>selection:</c>).</summary>
    public static string Rule(string selection, string condition = "selection") => $"""
        title: Probe
        id: 00000000-0000-4000-8000-000000000001
        name: probe
        logsource:
            product: auth0
        detection:
            selection:
        {Indent(selection, 8)}
            condition: {condition}
        """;

    public static bool Matches(string selection, string data) =>
        Single(Load(Rule(selection))).Condition.Matches(Entry(data));

    public static SigmaRule Single(RuleSet set)
    {
        Assert.Empty(set.Refused);
        return Assert.Single(set.Rules);
    }

    static string Indent(string text, int spaces) =>
        string.Join('\n', text.Trim('\n').Split('\n').Select(line => new string(' ', spaces) + line));
}
