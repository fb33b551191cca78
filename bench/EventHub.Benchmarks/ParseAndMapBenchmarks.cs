using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using EventHub.Auth0.LogStream;
using EventHub.TestSupport;

namespace EventHub.Benchmarks;

/// <summary>
/// The ingress hot path before the broker, per Auth0 entry: the body parsed in one pass and each record mapped to its
/// typed contract. The baseline is a plain <see cref="JsonDocument"/> parse of the same bytes (what any JSON-reading
/// ingress pays at least).
/// </summary>
[MemoryDiagnoser]
public class ParseAndMapBenchmarks
{
    const int Entries = 1000;
    byte[] _body = [];
    readonly DateTimeOffset _receivedAt = DateTimeOffset.UnixEpoch;

    [GlobalSetup]
    public void Setup()
    {
        var records = SharedCorpus.Auth0FixtureFiles()
            .SelectMany(file => JsonNode.Parse(File.ReadAllBytes(file))!.AsArray())
            .Select(record => record!.AsObject())
            .ToList();
        if (records.Count == 0)
        {
            Console.WriteLine("../shared/fixtures/auth0 not found: benchmarking entries built from Auth0's public schema instead.");
            records = [.. new[] { "f", "s", "sapi", "seacft", "slo" }.Select(code => Auth0Entries.Record(code))];
        }

        var batch = new JsonArray();
        for (var i = 0; i < Entries; i++)
        {
            var record = (JsonObject)records[i % records.Count].DeepClone();
            record["log_id"] = $"bench-{i:D8}";
            batch.Add(record);
        }

        _body = Encoding.UTF8.GetBytes(batch.ToJsonString());
        Console.WriteLine($"Body: {Entries} entries, {_body.Length / Entries} bytes per entry on average.");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Entries)]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetArrayLength();
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public int Parse() => LogStreamParser.Parse(_body).Count;

    [Benchmark(OperationsPerInvoke = Entries)]
    public int ParseAndMap()
    {
        var records = LogStreamParser.Parse(_body);
        var mapped = 0;
        foreach (var record in records)
        {
            if (Auth0LogMapper.Map(record, _body, _receivedAt) is not null)
                mapped++;
        }

        return mapped;
    }
}
