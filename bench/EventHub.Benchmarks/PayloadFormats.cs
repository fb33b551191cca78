using System.Diagnostics;
using EventHub.Contracts;
using EventHub.Publishing;
using MassTransit;
using MassTransit.Serialization;

namespace EventHub.Benchmarks;

/// <summary>
/// What writing and reading one batch message costs per Auth0 entry, in process, with 10 batches of 100 real entries:
/// as the hub wrote them before docs/adr/0038 (MassTransit's options: indented, payloads as escaped strings) and as it
/// writes them now (no indentation, payloads as JSON values), each read by the hub's batch reader.
/// Run: <c>dotnet run -c Release --project bench/EventHub.Benchmarks -- payload-formats</c>.
/// </summary>
internal static class PayloadFormats
{
    const int Batches = 300;

    public static int Run()
    {
        var body = BenchEntries.Body(1000, "payloadformats", "f", "s", "sapi", "seacft", "slo");
        var events = BenchEntries.Mapped(body, DateTimeOffset.UtcNow);
        var batches = Enumerable.Range(0, 10).Select(i => HubEventBatch.Of(events.Skip(i * 100).Take(100))).ToList();
        var before = batches.Select(b => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(b, SystemTextJsonMessageSerializer.Options)).ToList();
        var now = batches.Select(HubEventBatchSerializer.Serialize).ToList();
        Console.WriteLine($"bytes per batch of 100: before {before.Average(b => b.Length):F0}, now {now.Average(b => b.Length):F0}");
        Console.WriteLine($"payloads read back the same: {batches.Select((b, i) => Read(now[i]).Auth0.Select(e => e.Payload).SequenceEqual(b.Auth0.Select(e => e.Payload))).All(same => same)}");
        Console.WriteLine("round | what | CPU µs per entry (one thread) | allocated bytes per entry");
        for (var round = 0; round <= 3; round++)
        {
            // Round 0 warms up and is not printed.
            Measure(round, "write, before", i => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(batches[i % 10], SystemTextJsonMessageSerializer.Options));
            Measure(round, "write, now", i => HubEventBatchSerializer.Serialize(batches[i % 10]));
            Measure(round, "read, before", i => Read(before[i % 10]));
            Measure(round, "read, now", i => Read(now[i % 10]));
        }

        return 0;
    }

    static HubEventBatch Read(byte[] json) =>
        HubEventBatchSerializer.Instance.Deserialize(new BytesMessageBody(json), new DictionarySendHeaders(new Dictionary<string, object?>())).TryGetMessage<HubEventBatch>(out var batch) && batch is not null
            ? batch
            : throw new InvalidOperationException("not a batch");

    static void Measure(int round, string what, Action<int> action)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Batches; i++)
            action(i);
        clock.Stop();
        if (round > 0)
            Console.WriteLine($"{round} | {what} | {clock.Elapsed.TotalMicroseconds / (Batches * 100):F2} | {(GC.GetAllocatedBytesForCurrentThread() - allocated) / (Batches * 100.0):F0}");
    }
}
