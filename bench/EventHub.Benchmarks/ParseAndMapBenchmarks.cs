using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EventHub.Auth0.LogStream;
using EventHub.Contracts.Auth0;

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
    List<Auth0LogFields> _parsed = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchEntries.Body(Entries, "bench", "f", "s", "sapi", "seacft", "slo");
        _parsed = LogStreamParser.Parse(_body);
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

    /// <summary>The mapper alone, over records parsed once: one typed record (and its payload text) per entry.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public int Map()
    {
        var mapped = 0;
        foreach (var record in _parsed)
        {
            if (Auth0LogMapper.Map(record, _body, _receivedAt) is not null)
                mapped++;
        }

        return mapped;
    }

    /// <summary>
    /// <see cref="Map"/> plus one more copy of each record: what mapping cost when every entry was built first as an
    /// <see cref="Auth0UnknownLogEvent"/> and then copied into its code's record (ADR 0028). Kept as the comparison point.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public int MapAndCopy()
    {
        var mapped = 0;
        foreach (var record in _parsed)
        {
            if (Auth0LogMapper.Map(record, _body, _receivedAt) is Auth0LogEntry entry && Auth0LogTypes.TryGet(entry.Type, out var type))
                mapped += type.Create(entry) is null ? 0 : 1;
        }

        return mapped;
    }
}
