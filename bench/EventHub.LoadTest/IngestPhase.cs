using System.Text;
using EventHub.TestSupport;

namespace EventHub.LoadTest;

/// <summary>
/// Auth0 Log Streams ingest: 8 connections posting 100-entry batches, spread over every copy of the host given, then
/// the wait until the hub caught up (<see cref="CatchUp"/>). CPU per entry is read from the start of the phase until it
/// caught up, for each copy and for the broker: what ingesting and every consumer behind it cost.
/// </summary>
internal static class IngestPhase
{
    // Requests the hub held while its own consumers were behind (docs/adr/0039), from each copy's /metrics; emits too (EndToEnd).
    public const string Paced = "eventhub_ingress_paced_duration_seconds";

    public sealed record Result(ClosedLoop.Result Load, CatchUp.Result CaughtUp, IReadOnlyList<double?> HostCpu, double? BrokerCpu, double? DatabaseCpu, double? ClientCpu, HostHistogram Held)
    {
        public double EntriesPerSecond => Load.ItemsPerSecond;

        /// <summary>Entries per second counted until the hub caught up, the backlog included; null when it did not.</summary>
        public double? CaughtUpPerSecond => CaughtUp.Seconds is { } s ? Load.ItemsConfirmed / (Load.Seconds + s) : null;

        public double? TotalHostCpu => HostCpu.All(c => c is not null) ? HostCpu.Sum() : null;
    }

    public static async Task<Result> RunAsync(HubTarget hub, IReadOnlyList<(Uri Address, int? Pid)> copies, Auth0Batches batches, TimeSpan duration, ServerCpu servers, TimeSpan catchUpLimit)
    {
        var rowsBefore = await hub.EventLogRowsAsync();
        var heldBefore = await ScrapeHeldAsync(hub, copies);
        var before = copies.Select(c => ProcessCpu.Read(c.Pid)).ToList();
        servers.Start();
        var clientBefore = ProcessCpu.Read(Environment.ProcessId);
        var load = await ClosedLoop.RunAsync([.. copies.Select(c => c.Address)], connections: 8, duration, maxRequests: 1_500, itemsPerRequest: 100, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(batches.Next(100).Body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + hub.Auth0Token);
            return request;
        });
        var clientCpu = ProcessCpu.PerItem(clientBefore, ProcessCpu.Read(Environment.ProcessId), load.ItemsConfirmed);
        var held = Since(await ScrapeHeldAsync(hub, copies), heldBefore);
        Console.WriteLine($"    {load.ItemsConfirmed:N0} entries confirmed in {load.Seconds:F1} s; messages in the queues at the end (ready+unacked): {await CatchUp.BacklogAsync(hub)}");
        Console.WriteLine($"    requests held for the hub's consumers: {held.Count:N0} of {load.Succeeded + load.Failed:N0}, p50 / p99 of those {held.Percentile(50):F0} / {held.Percentile(99):F0} ms");
        var caughtUp = await CatchUp.WaitAsync(hub, rowsBefore + load.ItemsConfirmed, catchUpLimit);
        Console.WriteLine($"    {caughtUp.Describe()}");
        foreach (var queue in caughtUp.Unconsumed)
            Console.WriteLine($"    left without a consumer: {queue}");
        var cpu = copies.Select((c, i) => ProcessCpu.PerItem(before[i], ProcessCpu.Read(c.Pid), load.ItemsConfirmed)).ToList();
        var (broker, database) = servers.PerItem(load.ItemsConfirmed);
        return new Result(load, caughtUp, cpu, broker, database, clientCpu, held);
    }

    static async Task<List<HostHistogram>> ScrapeHeldAsync(HubTarget hub, IReadOnlyList<(Uri Address, int? Pid)> copies)
    {
        var scrapes = new List<HostHistogram>();
        foreach (var (address, _) in copies)
        {
            using var http = hub.ApiClient();
            http.BaseAddress = address;
            scrapes.Add(HostHistogram.Parse(await http.GetStringAsync("/metrics"), Paced));
        }

        return scrapes;
    }

    static HostHistogram Since(List<HostHistogram> after, List<HostHistogram> before) =>
        HostHistogram.Sum([.. after.Select((a, i) => a.Since(before[i]))]);
}
