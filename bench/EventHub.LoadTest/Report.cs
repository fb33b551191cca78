using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace EventHub.LoadTest;

/// <summary>One run's figures: printed as a table, written as JSON, and rendered into docs/benchmarks.md as ratios to the raw baseline.</summary>
internal sealed record Report(
    DateTimeOffset At,
    LoadTestOptions Options,
    HubTarget Hub,
    double EntryBytes,
    bool RealCorpus,
    double RawPerSecond,
    ClosedLoop.Result Ingest,
    double? EventLogCatchUpSeconds,
    ClosedLoop.Result Emit,
    EndToEnd.Result EndToEnd,
    EndToEnd.Result EndToEndLight,
    (double RssMb, double PeakMb)? Idle,
    (double RssMb, double PeakMb)? Peak,
    CpuPerItem Cpu,
    string LoadAverage,
    TimeSpan Took)
{
    const string Section = "## End-to-end load test";
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    IEnumerable<(string What, string Value, string Ratio, string Target)> Rows()
    {
        yield return ("raw RabbitMQ.Client publish, confirmed, persistent (baseline)", $"{RawPerSecond:N0} msgs/s", "1.00", "");
        yield return ("Auth0 ingest, 100-entry batches, 8 connections", $"{Ingest.ItemsPerSecond:N0} entries/s", Ratio(Ingest.ItemsPerSecond), Ingest.ItemsPerSecond >= 0.7 * RawPerSecond ? "≥ 0.70: met" : "≥ 0.70: not met");
        yield return ("Auth0 ingest request latency p50 / p99", $"{Ingest.Latencies.Percentile(50):F1} / {Ingest.Latencies.Percentile(99):F1} ms", "", "");
        yield return ("emit, single-event POST /v1/events, 8 connections", $"{Emit.ItemsPerSecond:N0} events/s", Ratio(Emit.ItemsPerSecond), "");
        yield return ("emit request latency p50 / p99", $"{Emit.Latencies.Percentile(50):F1} / {Emit.Latencies.Percentile(99):F1} ms", "", "");
        yield return ($"end to end at {EndToEnd.Rate:N0}/s offered: POST → webhook p50 / p95 / p99 / max",
            $"{EndToEnd.Webhook.Percentile(50):F1} / {EndToEnd.Webhook.Percentile(95):F1} / {EndToEnd.Webhook.Percentile(99):F1} / {EndToEnd.Webhook.Max:F0} ms", "",
            EndToEnd.Webhook.Percentile(99) <= 25 ? "p99 ≤ 25 ms: met" : "p99 ≤ 25 ms: not met");
        yield return ("end to end: POST → application queue on eventhub.events p50 / p95 / p99 / max",
            $"{EndToEnd.Queue.Percentile(50):F1} / {EndToEnd.Queue.Percentile(95):F1} / {EndToEnd.Queue.Percentile(99):F1} / {EndToEnd.Queue.Max:F0} ms", "", "");
        yield return ("end to end: hub → event log's MassTransit consumer in the host p50 / p95 / p99 (host histogram)",
            $"{EndToEnd.Consumer.Percentile(50):F1} / {EndToEnd.Consumer.Percentile(95):F1} / {EndToEnd.Consumer.Percentile(99):F1} ms", "", $"{EndToEnd.Consumer.Count:N0} events");
        yield return ("end to end: emit POST latency p50 / p99", $"{EndToEnd.Post.Percentile(50):F1} / {EndToEnd.Post.Percentile(99):F1} ms", "", "");
        yield return ("end to end: offered / accepted / at webhook / at queue", $"{EndToEnd.Offered:N0} / {EndToEnd.Accepted:N0} / {EndToEnd.AtWebhook:N0} / {EndToEnd.AtQueue:N0}", "", EndToEnd.SkippedByGenerator > 0 ? $"{EndToEnd.SkippedByGenerator:N0} not sent (1,000 in flight)" : "");
        yield return ($"end to end at {EndToEndLight.Rate:N0}/s offered: POST → webhook p50 / p95 / p99 / max",
            $"{EndToEndLight.Webhook.Percentile(50):F1} / {EndToEndLight.Webhook.Percentile(95):F1} / {EndToEndLight.Webhook.Percentile(99):F1} / {EndToEndLight.Webhook.Max:F0} ms", "", "");
        yield return ($"end to end at {EndToEndLight.Rate:N0}/s: POST → application queue p50 / p95 / p99 / max",
            $"{EndToEndLight.Queue.Percentile(50):F1} / {EndToEndLight.Queue.Percentile(95):F1} / {EndToEndLight.Queue.Percentile(99):F1} / {EndToEndLight.Queue.Max:F0} ms", "",
            $"{EndToEndLight.Accepted:N0} accepted, {EndToEndLight.AtWebhook:N0} at webhook");
        yield return ($"end to end at {EndToEndLight.Rate:N0}/s: hub → event log's MassTransit consumer in the host p50 / p95 / p99",
            $"{EndToEndLight.Consumer.Percentile(50):F1} / {EndToEndLight.Consumer.Percentile(95):F1} / {EndToEndLight.Consumer.Percentile(99):F1} ms", "", $"{EndToEndLight.Consumer.Count:N0} events");
        yield return ("event log catch-up after ingest", EventLogCatchUpSeconds is { } s ? $"{s:F1} s for {Ingest.ItemsConfirmed:N0} entries" : "not drained in 60 s", "", "");
        yield return ("CPU per message: raw client / host for ingest (incl. event log) / emit (incl. event log) / end to end (incl. webhook)",
            $"{Micro(Cpu.RawClient)} / {Micro(Cpu.Ingest)} / {Micro(Cpu.Emit)} / {Micro(Cpu.EndToEnd)} µs", "", "");
        yield return ("host RSS idle / peak (VmRSS, VmHWM)", Idle is { } idle && Peak is { } peak ? $"{idle.RssMb:F0} / {peak.PeakMb:F0} MB" : "not measured (host not started here)", "",
            Idle is { } i ? (i.RssMb <= 120 ? "idle ≤ 120 MB: met" : "idle ≤ 120 MB: not met") : "");
    }

    static string Micro(double? value) => value is { } v ? v.ToString("F0", Invariant) : "n/a";

    string Ratio(double value) => (value / RawPerSecond).ToString("F2", Invariant);

    public void Print()
    {
        Console.WriteLine();
        var rows = Rows().ToList();
        var width = rows.Max(r => r.What.Length);
        foreach (var (what, value, ratio, target) in rows)
            Console.WriteLine($"{what.PadRight(width)}  {value,-32} {ratio,-5} {target}");
        Console.WriteLine($"Ingest: {Ingest.Succeeded} requests answered 2xx, {Ingest.Failed} not. Emit: {Emit.Succeeded} 2xx, {Emit.Failed} not. E2E refused: {EndToEnd.Refused}.");
    }

    public string WriteJson(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{At:yyyy-MM-dd}.json");
        var document = new
        {
            at = At,
            profile = Options.Profile,
            machine = new { cpu = Machine().Cpu, cores = Machine().Cores, memoryGb = Math.Round(Machine().MemoryGb, 1), os = Machine().Os, dotnet = Machine().Runtime, broker = Hub.RabbitMqVersion, database = Hub.DatabaseVersion },
            entryBytes = Math.Round(EntryBytes),
            realCorpus = RealCorpus,
            rawMessagesPerSecond = Math.Round(RawPerSecond),
            ingest = new { entriesPerSecond = Math.Round(Ingest.ItemsPerSecond), ratio = Math.Round(Ingest.ItemsPerSecond / RawPerSecond, 3), requests = Ingest.Succeeded, failed = Ingest.Failed, p50Ms = Ingest.Latencies.Percentile(50), p99Ms = Ingest.Latencies.Percentile(99), eventLogCatchUpSeconds = EventLogCatchUpSeconds },
            emit = new { eventsPerSecond = Math.Round(Emit.ItemsPerSecond), ratio = Math.Round(Emit.ItemsPerSecond / RawPerSecond, 3), requests = Emit.Succeeded, failed = Emit.Failed, p50Ms = Emit.Latencies.Percentile(50), p99Ms = Emit.Latencies.Percentile(99) },
            endToEnd = new
            {
                offered = EndToEnd.Offered,
                seconds = EndToEnd.Seconds,
                accepted = EndToEnd.Accepted,
                refused = EndToEnd.Refused,
                notSent = EndToEnd.SkippedByGenerator,
                webhook = new { arrived = EndToEnd.AtWebhook, p50Ms = EndToEnd.Webhook.Percentile(50), p95Ms = EndToEnd.Webhook.Percentile(95), p99Ms = EndToEnd.Webhook.Percentile(99), maxMs = EndToEnd.Webhook.Max },
                queue = new { arrived = EndToEnd.AtQueue, p50Ms = EndToEnd.Queue.Percentile(50), p95Ms = EndToEnd.Queue.Percentile(95), p99Ms = EndToEnd.Queue.Percentile(99), maxMs = EndToEnd.Queue.Max },
                hostConsumer = new { observed = EndToEnd.Consumer.Count, p50Ms = EndToEnd.Consumer.Percentile(50), p95Ms = EndToEnd.Consumer.Percentile(95), p99Ms = EndToEnd.Consumer.Percentile(99) },
                postP50Ms = EndToEnd.Post.Percentile(50),
                postP99Ms = EndToEnd.Post.Percentile(99),
            },
            endToEndBelowSaturation = new
            {
                rate = EndToEndLight.Rate,
                offered = EndToEndLight.Offered,
                accepted = EndToEndLight.Accepted,
                webhook = new { arrived = EndToEndLight.AtWebhook, p50Ms = EndToEndLight.Webhook.Percentile(50), p95Ms = EndToEndLight.Webhook.Percentile(95), p99Ms = EndToEndLight.Webhook.Percentile(99), maxMs = EndToEndLight.Webhook.Max },
                queue = new { arrived = EndToEndLight.AtQueue, p50Ms = EndToEndLight.Queue.Percentile(50), p95Ms = EndToEndLight.Queue.Percentile(95), p99Ms = EndToEndLight.Queue.Percentile(99), maxMs = EndToEndLight.Queue.Max },
                hostConsumer = new { observed = EndToEndLight.Consumer.Count, p50Ms = EndToEndLight.Consumer.Percentile(50), p95Ms = EndToEndLight.Consumer.Percentile(95), p99Ms = EndToEndLight.Consumer.Percentile(99) },
            },
            memory = new { idleRssMb = Idle?.RssMb, peakRssMb = Peak?.PeakMb },
            cpuMicrosecondsPerItem = new { rawClient = Cpu.RawClient, hostIngest = Cpu.Ingest, hostEmit = Cpu.Emit, hostEndToEnd = Cpu.EndToEnd },
            loadAverageAtEnd = LoadAverage,
            tookSeconds = Math.Round(Took.TotalSeconds),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }) + "\n");
        return path;
    }

    /// <summary>Replaces the load-test section of docs/benchmarks.md (everything from its heading on), keeping the rest.</summary>
    public void UpdateMarkdown(string path, string jsonPath)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n";
        var start = existing.IndexOf(Section, StringComparison.Ordinal);
        var head = start >= 0 ? existing[..start] : existing.TrimEnd() + "\n\n";
        var machine = Machine();
        var md = new StringBuilder();
        md.AppendLine(Section).AppendLine();
        md.AppendLine("Generated by `./build.sh bench` (`bench/EventHub.LoadTest`); do not edit by hand. One run, on a machine shared with other");
        md.AppendLine("engineers' builds and tests at the time, so absolute numbers are noisy: compare the ratios, which are to the raw");
        md.AppendLine("RabbitMQ.Client baseline measured in the same run against the same broker. Targets are reported, never asserted;");
        md.AppendLine("why they are not met on this machine, with the evidence: `docs/adr/0006-load-test-limits.md`.");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine("./build.sh bench                       # publishes the host (Release), starts a private RabbitMQ node and PostgreSQL cluster");
        md.AppendLine("./build.sh bench --profile rabbitmq    # RabbitMQ + SQLite");
        md.AppendLine("./build.sh bench --hub http://127.0.0.1:5080 --amqp amqp://guest:guest@127.0.0.1:5672/ --auth0-token T --api-key K");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {At:yyyy-MM-dd HH:mm} UTC, profile `{Options.Profile}` ({Hub.RabbitMqVersion}, {Hub.DatabaseVersion}), took {Took.TotalSeconds:F0} s, 1-minute load average {LoadAverage} at the end. Machine: {machine.Cpu}, {machine.Cores} cores, {machine.MemoryGb:F0} GB, {machine.Os}, .NET {machine.Runtime}. Entries: {(RealCorpus ? "the real Auth0 payloads of `../shared/fixtures/auth0`" : "built from Auth0's public schema")}, unique log_ids, {EntryBytes:F0} bytes each on average. Figures: `{Path.GetRelativePath(HubRoot(path), jsonPath)}`.");
        md.AppendLine();
        md.AppendLine("| what | measured | ratio to raw | target |");
        md.AppendLine("|---|---:|---:|---|");
        foreach (var (what, value, ratio, target) in Rows())
            md.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {value} | {ratio} | {target} |");
        md.AppendLine();
        md.AppendLine("How each figure is made:");
        md.AppendLine();
        md.AppendLine("- **raw**: one connection, one channel with publisher confirms tracked, up to 256 unconfirmed persistent messages in");
        md.AppendLine("  flight to a durable topic exchange with one durable queue bound (the shape of `eventhub.events` with the event log's");
        md.AppendLine("  queue), for 10 s; the message bodies are the same entries the ingest test sends.");
        md.AppendLine("- **ingest**: 8 connections, each posting the next 100-entry batch when the previous one got its 200 (which the hub");
        md.AppendLine("  sends after the broker confirmed every entry), for 15 s; entries/s counts only confirmed entries.");
        md.AppendLine("- **emit**: 8 connections posting one event each (about the size of an entry), for 10 s, counting 202s.");
        md.AppendLine("- **end to end**: an open loop offering 1,000 single-event emits per second for 30 s (never waiting for answers, at");
        md.AppendLine("  most 1,000 in flight); each event is timed from just before its POST to its first arrival (a) at a webhook listener");
        md.AppendLine("  (`bench.e2e.#`) on a Kestrel receiver in the load test's process and (b) in a queue bound to `eventhub.events` read");
        md.AppendLine("  with RabbitMQ.Client. The host offers no seam to observe its own MassTransit consumers, so (b) is what every consumer");
        md.AppendLine("  of the topic exchange sees at the broker, not a consumer inside the host. The same measurement runs again at");
        md.AppendLine("  100 events/s for 10 s, below the point where requests queue up, for the latency of one event on its own.");
        md.AppendLine("- **CPU per message**: user + system time from `/proc/<pid>/stat`, of the load test's own process over the raw");
        md.AppendLine("  phase (the client side of the baseline) and of the host from the start of a phase until the event log has caught up");
        md.AppendLine("  with it. A busy machine slows everything down but changes the work per message much less than the throughput.");
        md.AppendLine("- **memory**: `VmRSS` of the host process 3 s after it was ready (idle) and `VmHWM` after the run (peak).");
        File.WriteAllText(path, head + md);
    }

    static string HubRoot(string markdownPath) => Path.GetDirectoryName(Path.GetDirectoryName(markdownPath)!)!;

    static (string Cpu, int Cores, double MemoryGb, string Os, string Runtime) Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
        var memory = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Invariant) / 1024.0 / 1024.0
            : 0;
        return (cpu, Environment.ProcessorCount, memory, RuntimeInformation.OSDescription, Environment.Version.ToString());
    }
}
