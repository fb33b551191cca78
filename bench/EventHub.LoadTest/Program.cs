using System.Diagnostics;
using System.Text;
using EventHub.LoadTest;
using EventHub.TestSupport;

// ./build.sh bench [--quick] [--profile production|rabbitmq] [--hub http://... --amqp amqp://... --auth0-token T --api-key K]
// Every phase is bounded in time and count; load goes only to the addresses below (127.0.0.1 when started here).
var options = LoadTestOptions.Parse(args);
var wall = Stopwatch.StartNew();
Console.WriteLine($"EventHub load test, profile {options.Profile}{(options.Hub is null ? "" : $", against {options.Hub}")}");

await using var hub = options.Hub is null
    ? await HubTarget.StartAsync(options.Profile)
    : new HubTarget { BaseAddress = options.Hub, Amqp = options.Amqp!, Auth0Token = options.Auth0Token!, ApiKey = options.ApiKey!, Profile = options.Profile };

var batches = new Auth0Batches("bench-" + Guid.NewGuid().ToString("N")[..8]);
var sample = batches.Next(100);
var entryBodies = System.Text.Json.Nodes.JsonNode.Parse(sample.Body)!.AsArray().Select(e => Encoding.UTF8.GetBytes(e!.ToJsonString())).ToList();
var entryBytes = entryBodies.Average(b => b.Length);
Console.WriteLine($"Entries: {(batches.FromRealCorpus ? "real Auth0 payloads from ../shared/fixtures/auth0" : "built from Auth0's public schema (../shared absent)")}, {entryBytes:F0} bytes on average");

// Idle: after startup, before any load.
var broker = await BrokerCpu.MeasureIdleAsync(hub.BrokerPid, TimeSpan.FromSeconds(3));
var idle = ProcessMemory.Read(hub.HostPid);
if (options.IdleOnly)
{
    // `--idle`: the host's idle RSS alone, to compare runtime settings (DOTNET_* variables reach the host) in seconds.
    Console.WriteLine(idle is { } i ? $"host RSS idle: {i.RssMb:F1} MB (VmRSS), peak so far {i.PeakMb:F1} MB (VmHWM)" : "host RSS idle: not measured (host not started here)");
    if (hub.HostPid is { } pid)
    {
        Console.WriteLine("    " + string.Join(", ", File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("Rss", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))));
        foreach (var (mapping, kb) in ProcessMemory.LargestMappings(pid, 25))
            Console.WriteLine($"    {kb / 1024.0,6:F1} MB  {mapping}");
    }
    return 0;
}

Console.WriteLine("1/4 raw RabbitMQ.Client baseline ...");
var clientBefore = ProcessCpu.Read(Environment.ProcessId);
broker.Start();
var (raw, rawMessages) = await RawBaseline.MeasureAsync(hub.Amqp, entryBodies, options.Phase(10), 500_000, window: 256);
var rawClientCpu = ProcessCpu.PerItem(clientBefore, ProcessCpu.Read(Environment.ProcessId), rawMessages);
var rawBrokerCpu = broker.PerItem(rawMessages);

Console.WriteLine("2/4 Auth0 ingest ...");
var hostBefore = ProcessCpu.Read(hub.HostPid);
broker.Start();
var ingest = await ClosedLoop.RunAsync(hub.BaseAddress, connections: 8, options.Phase(15), maxRequests: 1_500, itemsPerRequest: 100, () =>
{
    var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(batches.Next(100).Body, Encoding.UTF8, "application/json") };
    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + hub.Auth0Token);
    return request;
});
var detectionQueues = new[] { "evaluate-rules" };
var behind = await Task.WhenAll(detectionQueues.Select(hub.QueueDepthAsync));
var drained = await DrainAsync(hub, "store-events", TimeSpan.FromSeconds(60));
// Printed, not in the table: whether the detections keep up with the ingest (issue 26), a check for `--quick` runs.
Console.WriteLine($"    detection queues at the end of ingest: {string.Join(", ", detectionQueues.Zip(behind, (q, n) => $"{q} {n?.ToString("N0") ?? "-"}"))}");
// Ingest and storing in the event log, per entry (the drain above waited for the event log to catch up).
var ingestCpu = ProcessCpu.PerItem(hostBefore, ProcessCpu.Read(hub.HostPid), ingest.ItemsConfirmed);
var ingestBrokerCpu = broker.PerItem(ingest.ItemsConfirmed);
foreach (var queue in detectionQueues)
    Console.WriteLine($"    {queue} caught up after {(await DrainAsync(hub, queue, TimeSpan.FromSeconds(60)) is { } s ? $"{s:F1} s more" : "more than 60 s")}");

Console.WriteLine("3/4 emit ...");
hostBefore = ProcessCpu.Read(hub.HostPid);
broker.Start();
var emitBody = $$$"""{"name":"bench.emit.single","payload":{"filler":"{{{new string('x', (int)entryBytes - 60)}}}"}}""";
var emit = await ClosedLoop.RunAsync(hub.BaseAddress, connections: 8, options.Phase(10), maxRequests: 100_000, itemsPerRequest: 1, () =>
{
    var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(emitBody, Encoding.UTF8, "application/json") };
    request.Headers.TryAddWithoutValidation("X-EventHub-Key", hub.ApiKey);
    // As the SDK (EventHubClient) sends every emit: a fresh key, so each event is claimed against duplicates.
    request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
    return request;
});
await DrainAsync(hub, "store-events", TimeSpan.FromSeconds(30));
var emitCpu = ProcessCpu.PerItem(hostBefore, ProcessCpu.Read(hub.HostPid), emit.ItemsConfirmed);
var emitBrokerCpu = broker.PerItem(emit.ItemsConfirmed);

Console.WriteLine($"4/4 end to end at 1,000 events/s for {options.Phase(30).TotalSeconds:F0} s ...");
await using var receiver = await WebhookReceiver.StartAsync();
hostBefore = ProcessCpu.Read(hub.HostPid);
var e2e = await EndToEnd.RunAsync(hub, receiver, rate: 1_000, options.Phase(30), drainLimit: TimeSpan.FromSeconds(30));
var e2eCpu = ProcessCpu.PerItem(hostBefore, ProcessCpu.Read(hub.HostPid), e2e.Accepted);
// The same path below saturation: what one event's latency is when it does not queue behind others.
Console.WriteLine($"    and at 100 events/s for {options.Phase(10).TotalSeconds:F0} s ...");
var e2eLight = await EndToEnd.RunAsync(hub, receiver, rate: 100, options.Phase(10), drainLimit: TimeSpan.FromSeconds(20));
var peak = ProcessMemory.Read(hub.HostPid);

var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
var cpu = new CpuPerItem(rawClientCpu, ingestCpu, emitCpu, e2eCpu, rawBrokerCpu, ingestBrokerCpu, emitBrokerCpu, broker.IdleMicrosecondsPerSecond);
var report = new Report(DateTimeOffset.UtcNow, options, hub, entryBytes, batches.FromRealCorpus, raw, ingest, drained, emit, e2e, e2eLight, idle, peak, cpu, load, wall.Elapsed);
report.Print();
var root = HostProcess.RepositoryRoot();
if (options.Quick)
{
    // A check of a change, not a figure for the docs: phases a third as long are noisier than the docs' runs.
    Console.WriteLine($"Quick run: nothing written, {wall.Elapsed.TotalSeconds:F0} s.");
    return 0;
}

var json = report.WriteJson(Path.Combine(root, "bench", "results"));
report.UpdateMarkdown(Path.Combine(root, "docs", "benchmarks.md"), json);
Console.WriteLine($"Wrote {json} and docs/benchmarks.md in {wall.Elapsed.TotalSeconds:F0} s.");
return 0;

// How long the event log took to catch up with what was ingested (its write throughput, seen from outside).
static async Task<double?> DrainAsync(HubTarget hub, string queue, TimeSpan limit)
{
    var clock = Stopwatch.StartNew();
    using var check = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
    while (clock.Elapsed < limit)
    {
        if (await hub.QueueDepthAsync(queue) is null or 0)
            return clock.Elapsed.TotalSeconds;
        await check.WaitForNextTickAsync();
    }

    return null;
}
