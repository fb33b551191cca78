using BenchmarkDotNet.Attributes;
using EventHub.Contracts.Auth0;
using EventHub.Security.Rules;

namespace EventHub.Benchmarks;

/// <summary>
/// The whole built-in Sigma rule set on one Auth0 entry, as the <c>evaluate-rules</c> consumer runs it: the entry's view
/// (its JSON parsed only if a candidate rule reads a field the typed entry does not carry) and every rule its type can
/// match. Real entries from the shared corpus, in their mix of codes (sapi, s, seacft, ...), parsed and mapped by the
/// ingress's own code into the typed entries the consumer receives.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    const int Entries = 1000;
    RuleSet _rules = null!;
    RuleSet _withoutTypedAlerts = null!;
    IAuth0LogEvent[] _entries = [];

    [GlobalSetup]
    public void Setup()
    {
        _rules = SigmaRuleLoader.Load(RuleSources.BuiltIn());
        var typedAlertFiles = _rules.Typed.Select(c => c.Info.File).ToHashSet(StringComparer.Ordinal);
        _withoutTypedAlerts = SigmaRuleLoader.Load(RuleSources.BuiltIn().Where(source => !typedAlertFiles.Contains(source.File)));
        var body = BenchEntries.Body(Entries, "bench", "f", "s", "sapi", "seacft", "slo", "gd_send_pn");
        _entries = [.. BenchEntries.Mapped(body, DateTimeOffset.UnixEpoch).OfType<IAuth0LogEvent>()];
        Console.WriteLine($"{_rules.Rules.Count} rules, {_rules.Correlations.Count} correlations ({_withoutTypedAlerts.Rules.Count} and {_withoutTypedAlerts.Correlations.Count} without the typed alerts' files), {_entries.Length} typed entries.");
    }

    /// <summary>The set before brute force, credential stuffing and breached password became rules (docs/adr/0030), for the ratio; first,
    /// since the first benchmark of a loaded in-process run measured up to 3x its later ones.</summary>
    [Benchmark(OperationsPerInvoke = Entries, Baseline = true)]
    public int WithoutTheTypedAlertRules() => Evaluate(_withoutTypedAlerts, payload: null);

    [Benchmark(OperationsPerInvoke = Entries)]
    public int EvaluateBuiltInRulesPerEntry() => Evaluate(_rules, payload: null);

    /// <summary>The same entries with an empty <c>data</c> JSON: what the rules cost apart from parsing the entry.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public int WithoutParsingThePayload() => Evaluate(_rules, payload: "{}");

    int Evaluate(RuleSet rules, string? payload)
    {
        var matches = 0;
        foreach (var typed in _entries)
        {
            using var entry = new SigmaEntry(typed.EventId, typed.Type, payload ?? typed.Payload, typed);
            matches += rules.Match(entry).Count;
        }

        return matches;
    }
}
