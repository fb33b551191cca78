using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EventHub.Contracts;
using MassTransit.Serialization;

namespace EventHub.Benchmarks;

/// <summary>Experiment: a batch's payloads as escaped strings (today) or as raw JSON, written and read in process.</summary>
internal static class PayloadFormats
{
    [ThreadStatic] static byte[]? current;

    sealed class RawPayload : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
                return reader.GetString()!;
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            return Encoding.UTF8.GetString(current!, start, (int)reader.BytesConsumed - start);
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteRawValue(value, skipInputValidation: false);
    }

    sealed record RawEntry
    {
        public string EventId { get; init; } = "";
        public string Name { get; init; } = "";
        public string Source { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public DateTimeOffset ReceivedAt { get; init; }
        [JsonConverter(typeof(RawPayload))] public string Payload { get; init; } = "{}";
        public string Type { get; init; } = "";
        public string Group { get; init; } = "";
        public string? Description { get; init; }
        public string? Tenant { get; init; }
        public string? ClientId { get; init; }
        public string? ClientName { get; init; }
        public string? Connection { get; init; }
        public string? ConnectionId { get; init; }
        public string? UserId { get; init; }
        public string? UserName { get; init; }
        public string? Ip { get; init; }
        public string? UserAgent { get; init; }
        public string? Hostname { get; init; }
        public string? Strategy { get; init; }
        public string? StrategyType { get; init; }
        public string? Audience { get; init; }
        public IReadOnlyList<string> Scope { get; init; } = [];
        public bool? IsMobile { get; init; }
        public string? OrganizationId { get; init; }
        public string? OrganizationName { get; init; }
    }

    sealed record RawBatch(IReadOnlyList<RawEntry> Auth0);

    public static int Run()
    {
        var body = BenchEntries.Body(1000, "payloadformats", "f", "s", "sapi", "seacft", "slo");
        var events = BenchEntries.Mapped(body, DateTimeOffset.UtcNow);
        var batches = Enumerable.Range(0, 10).Select(i => HubEventBatch.Of(events.Skip(i * 100).Take(100))).ToList();
        var options = SystemTextJsonMessageSerializer.Options;
        var rawBatches = batches.Select(b => new RawBatch([.. b.Auth0.Select(e => JsonSerializer.Deserialize<RawEntry>(JsonSerializer.Serialize(e, options), options)!)])).ToList();
        var compact = new JsonSerializerOptions(options) { WriteIndented = false, PropertyNameCaseInsensitive = false };
        var today = batches.Select(b => JsonSerializer.SerializeToUtf8Bytes(b, options)).ToList();
        var raw = rawBatches.Select(b => JsonSerializer.SerializeToUtf8Bytes(b, compact)).ToList();
        var todayCompact = batches.Select(b => JsonSerializer.SerializeToUtf8Bytes(b, compact)).ToList();
        Console.WriteLine($"bytes per batch compact escaped {todayCompact.Average(b => b.Length):F0}");
        Console.WriteLine($"bytes per batch: escaped {today.Average(b => b.Length):F0}, raw {raw.Average(b => b.Length):F0}");
        var check = JsonSerializer.Deserialize<HubEventBatch>(today[0], options)!;
        current = raw[0];
        var checkRaw = JsonSerializer.Deserialize<RawBatch>(raw[0], options)!;
        Console.WriteLine($"payloads equal: {check.Auth0.Select(e => e.Payload).SequenceEqual(checkRaw.Auth0.Select(e => e.Payload))}");
        for (var round = 0; round < 4; round++)
        {
            Measure(round, "read, escaped", 300, i => JsonSerializer.Deserialize<HubEventBatch>(today[i % 10], options));
            Measure(round, "read, compact escaped, case-sensitive", 300, i => JsonSerializer.Deserialize<HubEventBatch>(todayCompact[i % 10], compact));
            Measure(round, "read, raw, case-sensitive", 300, i => { current = raw[i % 10]; JsonSerializer.Deserialize<RawBatch>(raw[i % 10], compact); });
            Measure(round, "write, escaped indented", 300, i => JsonSerializer.SerializeToUtf8Bytes(batches[i % 10], options));
            Measure(round, "write, escaped compact", 300, i => JsonSerializer.SerializeToUtf8Bytes(batches[i % 10], compact));
            Measure(round, "write, raw compact", 300, i => JsonSerializer.SerializeToUtf8Bytes(rawBatches[i % 10], compact));
        }

        return 0;
    }

    static void Measure(int round, string what, int batches, Action<int> action)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
            action(i);
        clock.Stop();
        if (round > 0)
            Console.WriteLine($"{round} | {what} | {clock.Elapsed.TotalMicroseconds / (batches * 100):F2} µs per entry | {(GC.GetAllocatedBytesForCurrentThread() - allocated) / (batches * 100.0):F0} B per entry");
    }
}
