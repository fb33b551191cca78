using EventHub.Security.Rules;
using static EventHub.Security.Tests.SigmaEntries;

namespace EventHub.Security.Tests;

/// <summary>Loading rule files: what is compiled, and what is refused with its file, line and reason while the rest loads.</summary>
public sealed class SigmaRuleLoaderTests
{
    [Theory]
    [InlineData("data.type|base64: f", "modifier 'base64' is not supported")]
    [InlineData("data.type|sounds_like: f", "unknown modifier 'sounds_like'")]
    [InlineData("data.ip|cidr: 10.0.0.0/99", "is not a CIDR range")]
    [InlineData("data.description|re: '(unclosed'", "invalid regular expression")]
    [InlineData("data.count|gt: many", "is not a number")]
    [InlineData("data.ip|exists: maybe", "takes true or false")]
    [InlineData("data.client_id: {global_client_id}", "must be a value or a list of values")]
    [InlineData("- just a keyword", "keyword searches")]
    public void Should_refuse_a_selection_it_cannot_use_and_say_why(string selection, string reason)
    {
        var set = Load(Rule(selection), Rule("data.type: s").Replace("name: probe", "name: fine", StringComparison.Ordinal));

        var refused = Assert.Single(set.Refused);
        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
        Assert.Equal(("test/rule-1.yml", "Probe"), (refused.File, refused.Title));
        Assert.InRange(refused.Line, 7, 9);
        Assert.Equal("fine", Assert.Single(set.Rules).Info.Name);
    }

    [Theory]
    [InlineData("selection | count() > 5", "Sigma v1 aggregation")]
    [InlineData("selection and missing", "no selection named 'missing'")]
    [InlineData("1 of nothing*", "no selection matches 'nothing*'")]
    [InlineData("(selection", "parenthesis is not closed")]
    [InlineData("selection and", "ends too early")]
    [InlineData("selection selection", "unexpected 'selection'")]
    public void Should_refuse_a_condition_it_cannot_parse(string condition, string reason)
    {
        var refused = Assert.Single(Load(Rule("data.type: f", condition)).Refused);

        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
        Assert.Equal(9, refused.Line);
    }

    [Fact]
    public void Should_refuse_a_broken_file_at_the_line_of_the_error_and_load_the_other_files()
    {
        var set = Load("title: Broken\ndetection:\n    selection:\n        data.type: [f\n    condition: selection\n", Rule("data.type: f"));

        var refused = Assert.Single(set.Refused);
        Assert.StartsWith("not valid YAML", refused.Reason, StringComparison.Ordinal);
        Assert.Equal("test/rule-1.yml", refused.File);
        Assert.InRange(refused.Line, 4, 6);
        Assert.Single(set.Rules);
    }

    [Theory]
    [InlineData("detection:\n    selection: {data.type: f}\n    condition: selection\n", "title is required")]
    [InlineData("title: No detection\n", "detection is required")]
    [InlineData("title: No condition\ndetection:\n    selection: {data.type: f}\n", "detection has no condition")]
    [InlineData("title: Windows\nlogsource: {product: windows}\ndetection:\n    selection: {EventID: 4625}\n    condition: selection\n", "is not Auth0")]
    [InlineData("title: Old\ndetection:\n    selection: {data.type: f}\n    timeframe: 5m\n    condition: selection\n", "timeframe is Sigma v1")]
    [InlineData("title: Global\naction: global\n", "action: global")]
    public void Should_refuse_a_rule_document_that_is_not_a_usable_sigma_rule(string yaml, string reason) =>
        Assert.Contains(reason, Assert.Single(Load(yaml).Refused).Reason, StringComparison.Ordinal);

    [Theory]
    [InlineData("type: event_count\n    rules: [probe]\n    timespan: 1h\n    condition: {lt: 5}", "only holds when entries are missing")]
    [InlineData("type: event_count\n    rules: [nothing]\n    timespan: 1h\n    condition: {gte: 5}", "rule 'nothing', which is not loaded")]
    [InlineData("type: value_count\n    rules: [probe]\n    timespan: 1h\n    condition: {gte: 5}", "value_count needs condition.field")]
    [InlineData("type: event_count\n    rules: [probe]\n    timespan: forever\n    condition: {gte: 5}", "timespan 'forever' is not valid")]
    [InlineData("type: event_count\n    rules: [probe]\n    timespan: 1h", "event_count needs a condition")]
    [InlineData("type: temporal_ordered\n    rules: [probe]\n    timespan: 1h", "'temporal_ordered' is not supported")]
    public void Should_refuse_a_correlation_it_cannot_run(string correlation, string reason)
    {
        var set = Load(Rule("data.type: f") + $"\n---\ntitle: Correlated\ncorrelation:\n    {correlation}\n");

        var refused = Assert.Single(set.Refused);
        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
        Assert.Equal("Correlated", refused.Title);
        Assert.True(Assert.Single(set.Rules).Alerts);
    }

    [Fact]
    public void Should_compile_a_correlation_and_keep_its_rule_from_alerting_alone()
    {
        var set = Load(Rule("data.type: gd_send_sms") + """

            ---
            title: SMS bombing
            correlation:
                type: event_count
                rules:
                    - probe
                group-by:
                    - data.user_id
                timespan: 1h
                condition:
                    gt: 9
            """);

        var correlation = Assert.Single(set.Correlations);
        Assert.Equal(("event_count", 10, TimeSpan.FromHours(1), "rule-1"), (correlation.Type, correlation.Threshold, correlation.Timespan, correlation.Info.Name));
        Assert.Equal(["data.user_id"], correlation.GroupBy.Select(g => g.Text));
        Assert.False(Assert.Single(set.Rules).Alerts);
    }

    [Fact]
    public void Should_resolve_a_correlation_to_the_rule_of_its_own_file_when_several_share_a_name()
    {
        static string File(string type) => $"""
            title: Entries {type}
            name: selected_events
            detection:
                selection: {"{"}data.type: {type}{"}"}
                condition: selection
            ---
            title: Count {type}
            correlation:
                type: event_count
                rules: [selected_events]
                timespan: 1h
                condition: {"{"}gte: 3{"}"}
            """;

        var set = Load(File("f"), File("s"));

        Assert.Empty(set.Refused);
        Assert.Equal(["selected_events", "rule-2-selected_events"], set.Rules.Select(r => r.Info.Name));
        Assert.Equal(["Entries f", "Entries s"], set.Correlations.Select(c => Assert.Single(c.Rules).Info.Title));
        Assert.Equal(["rule-1", "rule-2"], set.Correlations.Select(c => c.Info.Name));
    }

    [Fact]
    public void Should_test_an_entry_only_against_the_rules_its_type_can_match()
    {
        var set = Load(
            Rule("data.type: f").Replace("name: probe", "name: failures", StringComparison.Ordinal),
            Rule("data.description|contains: password").Replace("name: probe", "name: any_type", StringComparison.Ordinal),
            Rule("data.type: [s, ss]").Replace("name: probe", "name: successes", StringComparison.Ordinal));

        Assert.Equal(["failures", "any_type"], set.Match(Entry("""{"type":"f","description":"Wrong password"}""")).Select(r => r.Info.Name));
        Assert.Equal(["successes"], set.Match(Entry("""{"type":"ss"}""")).Select(r => r.Info.Name));
        Assert.Empty(set.Match(Entry("""{"type":"slo"}""")));
    }

    [Fact]
    public void Should_load_an_operator_folder_and_refuse_unreadable_or_oversized_files()
    {
        var folder = Directory.CreateTempSubdirectory("eventhub-rules-").FullName;
        File.WriteAllText(Path.Combine(folder, "one.yml"), Rule("data.type: f"));
        Directory.CreateDirectory(Path.Combine(folder, "team"));
        File.WriteAllText(Path.Combine(folder, "team", "two.yaml"), Rule("data.type: s").Replace("name: probe", "name: two", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a rule");
        File.WriteAllText(Path.Combine(folder, "huge.yml"), new string('#', 2 * 1024 * 1024));
        var refused = new List<RefusedRule>();

        var set = SigmaRuleLoader.Load(RuleSources.Folder(folder, refused), refused);

        Assert.Equal([("one.yml", "probe"), (Path.Combine("team", "two.yaml"), "two")], set.Rules.Select(r => (r.Info.File, r.Info.Name)));
        Assert.Equal("huge.yml", Assert.Single(set.Refused).File);
    }
}
