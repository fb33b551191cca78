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
    public sealed record Result(ClosedLoop.Result Load, CatchUp.Result CaughtUp, IReadOnlyList<double?> HostCpu, double? BrokerCpu, double? DatabaseCpu, double? ClientCpu)
    {
        public double EntriesPerSecond => Load.ItemsPerSecond;

        /// <summary>Entries per second counted until the hub caught up, the backlog included; null when it did not.</summary>
        public double? CaughtUpPerSecond => CaughtUp.Seconds is { } s ? Load.ItemsConfirmed / (Load.Seconds + s) : null;

        public double? TotalHostCpu => HostCpu.All(c => c is not null) ? HostCpu.Sum() : null;
    }

    public static async Task<Result> RunAsync(HubTarget hub, IReadOnlyList<(Uri Address, int? Pid)> copies, Auth0Batches batches, TimeSpan duration, ServerCpu servers, TimeSpan catchUpLimit)
    {
        var rowsBefore = await hub.EventLogRowsAsync();
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
        Console.WriteLine($"    {load.ItemsConfirmed:N0} entries confirmed in {load.Seconds:F1} s; messages in the queues at the end (ready+unacked): {await CatchUp.BacklogAsync(hub)}");
        var caughtUp = await CatchUp.WaitAsync(hub, rowsBefore + load.ItemsConfirmed, catchUpLimit);
        Console.WriteLine($"    {caughtUp.Describe()}");
        foreach (var queue in caughtUp.Unconsumed)
            Console.WriteLine($"    left without a consumer: {queue}");
        var cpu = copies.Select((c, i) => ProcessCpu.PerItem(before[i], ProcessCpu.Read(c.Pid), load.ItemsConfirmed)).ToList();
        var (broker, database) = servers.PerItem(load.ItemsConfirmed);
        return new Result(load, caughtUp, cpu, broker, database, clientCpu);
    }
}
