using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using EventHub.Security.Rules;
using EventHub.TestSupport;

namespace EventHub.Benchmarks;

/// <summary>
/// The whole built-in Sigma rule set on one Auth0 entry, as the <c>evaluate-rules</c> consumer runs it: the entry's view
/// (its JSON parsed only if a candidate rule reads a field the typed entry does not carry) and every rule its type can
/// match. Real entries from the shared corpus, in their mix of codes (sapi, s, seacft, ...), with the top-level fields
/// the ingress's mapper has already read (<c>TypedFields</c>).
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    const int Entries = 1000;
    RuleSet _rules = null!;
    static readonly string[] Typed = ["description", "client_id", "client_name", "connection", "user_id", "user_name", "ip", "user_agent", "hostname"];
    (string LogId, string Type, string Data, Dictionary<string, string?> Fields)[] _entries = [];

    [GlobalSetup]
    public void Setup()
    {
        _rules = SigmaRuleLoader.Load(RuleSources.BuiltIn());
        var records = SharedCorpus.Auth0FixtureFiles()
            .SelectMany(file => JsonNode.Parse(File.ReadAllBytes(file))!.AsArray())
            .Select(record => record!.AsObject())
            .ToList();
        if (records.Count == 0)
        {
            Console.WriteLine("../shared/fixtures/auth0 not found: benchmarking entries built from Auth0's public schema instead.");
            records = [.. new[] { "f", "s", "sapi", "seacft", "slo", "gd_send_pn" }.Select(code => Auth0Entries.Record(code))];
        }

        _entries = [.. Enumerable.Range(0, Entries).Select(i => records[i % records.Count]["data"]!).Select((data, i) => (
            $"bench-{i}",
            data["type"]?.GetValue<string>() ?? "",
            data.ToJsonString(),
            Typed.ToDictionary(key => key, key => data[key] is JsonValue value ? value.ToString() : null, StringComparer.Ordinal)))];
        Console.WriteLine($"{_rules.Rules.Count} rules, {_rules.Correlations.Count} correlations, {records.Count} distinct entries.");
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public int EvaluateBuiltInRulesPerEntry() => Evaluate(payload: null);

    /// <summary>The same entries with an empty <c>data</c> JSON: what the rules cost apart from parsing the entry.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public int WithoutParsingThePayload() => Evaluate(payload: "{}");

    int Evaluate(string? payload)
    {
        var matches = 0;
        foreach (var (logId, type, data, fields) in _entries)
        {
            using var entry = new SigmaEntry(logId, type, payload ?? data, fields);
            matches += _rules.Match(entry).Count;
        }

        return matches;
    }
}
