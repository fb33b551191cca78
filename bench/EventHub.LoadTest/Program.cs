using System.Diagnostics;
using System.Runtime.InteropServices;
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
// A run stopped with SIGTERM or Ctrl+C stops what it started (hosts, broker node, database cluster) before the process
// ends; left to the default handling, they ran on with nobody to stop them.
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => StopServers(hub));
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => StopServers(hub));

var batches = new Auth0Batches("bench-" + Guid.NewGuid().ToString("N")[..8]);
var sample = batches.Next(100);
var entryBodies = System.Text.Json.Nodes.JsonNode.Parse(sample.Body)!.AsArray().Select(e => Encoding.UTF8.GetBytes(e!.ToJsonString())).ToList();
var entryBytes = entryBodies.Average(b => b.Length);
Console.WriteLine($"Entries: {(batches.FromRealCorpus ? "real Auth0 payloads from ../shared/fixtures/auth0" : "built from Auth0's public schema (../shared absent)")}, {entryBytes:F0} bytes on average");

// Idle: after startup, before any load.
var servers = await ServerCpu.MeasureIdleAsync(hub.BrokerPid, hub.DatabasePid, TimeSpan.FromSeconds(3));
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

// A host in production has run its paths many times; a fresh one compiles them (tiered JIT) during the first seconds,
// which the first measured phase would pay alone (a cold run: 0.28 of raw for the real mix against 0.63 for the same
// mix measured later in the run, bench/results/2026-12-06T143217Z-cold-host.txt). So every path is run first, unmeasured.
// Nor has it its tiered compiler still at work: under load a fresh host's recompiles hot methods in the background
// for a minute or more (about a quarter of the host's CPU in the measured phases of a --quick run that warmed up for
// one round, bench/results/2026-12-07T0120Z-jit-during-phases.txt). So the rounds go on until that thread used under
// 5 % of the host's CPU in one (bounded in number and time), and the first minute's cost is reported on its own.
Console.WriteLine("0/7 warming the host up (not measured) ...");
var warmUp = await WarmUp.RunAsync(hub, batches, servers, options);
Console.WriteLine($"    {warmUp.Describe()}");

Console.WriteLine("1/7 raw RabbitMQ.Client baseline ...");
var clientBefore = ProcessCpu.Read(Environment.ProcessId);
servers.Start();
var (raw, rawMessages) = await RawBaseline.MeasureAsync(hub.Amqp, entryBodies, options.Phase(10), 500_000, window: 256);
var rawClientCpu = ProcessCpu.PerItem(clientBefore, ProcessCpu.Read(Environment.ProcessId), rawMessages);
var rawBrokerCpu = servers.PerItem(rawMessages).Broker;

// What the tiered compiler still takes while the figures are measured, to show the warm-up did its part.
await using var compilerWhileMeasured = TieredCompiler.Watch(hub.HostPid);
var hostBeforeMeasured = ProcessCpu.Read(hub.HostPid);
Console.WriteLine("2/7 Auth0 ingest, the real payload mix ...");
var ingest = await IngestPhase.RunAsync(hub, [(hub.BaseAddress, hub.HostPid)], batches, options.Phase(15), servers, options.Phase(60));

Console.WriteLine($"3/7 Auth0 ingest, a flood of failed logins over {Flood.Accounts} accounts and {Flood.Ips} IPs ...");
var flood = await IngestPhase.RunAsync(hub, [(hub.BaseAddress, hub.HostPid)], Flood.Batches("flood-" + Guid.NewGuid().ToString("N")[..8]), options.Phase(15), servers, options.Phase(60));

Console.WriteLine("4/7 emit ...");
var hostBefore = ProcessCpu.Read(hub.HostPid);
var rowsBefore = await hub.EventLogRowsAsync();
servers.Start();
var emitBody = $$$"""{"name":"bench.emit.single","payload":{"filler":"{{{new string('x', (int)entryBytes - 60)}}}"}}""";
var emit = await ClosedLoop.RunAsync([hub.BaseAddress], connections: 8, options.Phase(10), maxRequests: 100_000, itemsPerRequest: 1, () =>
{
    var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(emitBody, Encoding.UTF8, "application/json") };
    request.Headers.TryAddWithoutValidation("X-EventHub-Key", hub.ApiKey);
    // As the SDK (EventHubClient) sends every emit: a fresh key, so each event is claimed against duplicates.
    request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
    return request;
});
Console.WriteLine($"    {(await CatchUp.WaitAsync(hub, rowsBefore + emit.ItemsConfirmed, TimeSpan.FromSeconds(30))).Describe()}");
var emitCpu = ProcessCpu.PerItem(hostBefore, ProcessCpu.Read(hub.HostPid), emit.ItemsConfirmed);
var (emitBrokerCpu, emitDatabaseCpu) = servers.PerItem(emit.ItemsConfirmed);

Console.WriteLine($"5/7 end to end at 1,000 events/s for {options.Phase(30).TotalSeconds:F0} s ...");
await using var receiver = await WebhookReceiver.StartAsync();
hostBefore = ProcessCpu.Read(hub.HostPid);
var e2e = await EndToEnd.RunAsync(hub, receiver, rate: 1_000, options.Phase(30), drainLimit: TimeSpan.FromSeconds(30));
var e2eCpu = ProcessCpu.PerItem(hostBefore, ProcessCpu.Read(hub.HostPid), e2e.Accepted);
// The same path below saturation: what one event's latency is when it does not queue behind others.
Console.WriteLine($"    and at 100 events/s for {options.Phase(10).TotalSeconds:F0} s ...");
var e2eLight = await EndToEnd.RunAsync(hub, receiver, rate: 100, options.Phase(10), drainLimit: TimeSpan.FromSeconds(20));
var peak = ProcessMemory.Read(hub.HostPid);
double? compilerShareMeasured = null;
if (compilerWhileMeasured is not null && ProcessCpu.Read(hub.HostPid) - hostBeforeMeasured is { } measuredCpu)
{
    var compiledWhileMeasured = await compilerWhileMeasured.StopAsync();
    compilerShareMeasured = compiledWhileMeasured / measuredCpu;
    Console.WriteLine($"    the tiered compiler used {compiledWhileMeasured.TotalSeconds:F1} s of the host's {measuredCpu.TotalSeconds:F1} s of CPU in phases 2-5 ({compilerShareMeasured:P0})");
}

// The last two phases take minutes and change no code path the others do not: `--quick` leaves them out.
EndToEndRamp.Result? ramp = null;
TwoCopies.Result? twoCopies = null;
if (options.Quick)
{
    Console.WriteLine("6/7 end to end at rising rates: skipped with --quick");
    Console.WriteLine("7/7 two host copies: skipped with --quick");
}
else
{
    Console.WriteLine($"6/7 end to end at rising rates up to {EndToEndRamp.Rates[^1]:N0} events/s, {options.Phase(10).TotalSeconds:F0} s each, until p99 > {EndToEndRamp.ThresholdMs:F0} ms ...");
    ramp = await EndToEndRamp.RunAsync(hub, receiver, options.Phase(10));
    if (hub.HostPid is null || options.Profile != "production")
    {
        // Copies share a database in production (PostgreSQL); a SQLite file is one copy's.
        Console.WriteLine("7/7 two host copies: skipped (only with the production profile, the hub started here)");
    }
    else
    {
        Console.WriteLine("7/7 Auth0 ingest with 1, then 2 copies of the host on the same broker and database ...");
        twoCopies = await TwoCopies.RunAsync(hub, batches, options, servers);
    }
}

var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
var cpu = new CpuPerItem(rawClientCpu, ingest.TotalHostCpu, emitCpu, e2eCpu, rawBrokerCpu, ingest.BrokerCpu, emitBrokerCpu, servers.BrokerIdlePerSecond, ingest.DatabaseCpu, emitDatabaseCpu, servers.DatabaseIdlePerSecond);
var report = new Report(DateTimeOffset.UtcNow, options, hub, entryBytes, batches.FromRealCorpus, raw, ingest, flood, emit, e2e, e2eLight, ramp, twoCopies, idle, peak, cpu, warmUp, compilerShareMeasured, load, wall.Elapsed);
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

static void StopServers(HubTarget hub)
{
    Console.WriteLine("Stopped: stopping the hosts, the broker node and the database cluster this run started ...");
    if (!hub.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(60)))
        Console.WriteLine("    not all stopped within 60 s");
}
