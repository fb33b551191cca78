using System.Diagnostics;
using MassTransit;

namespace EventHub.Benchmarks;

/// <summary>
/// What one MassTransit <c>CheckHealth</c> costs with as many receive endpoints as a hub with that many listeners has
/// (each listener is an endpoint): the reason <c>ConfirmedPublisher</c> asks it at most every 100 ms, not on every
/// publish. In-memory bus, so only MassTransit's own work is timed.
/// Run: <c>dotnet run -c Release --project bench/EventHub.Benchmarks -- health-check</c>.
/// </summary>
internal static class HealthCheckCost
{
    const int Calls = 2_000;

    public static async Task<int> RunAsync()
    {
        foreach (var endpoints in new[] { 10, 100, 500 })
        {
            var bus = Bus.Factory.CreateUsingInMemory(cfg =>
            {
                for (var i = 0; i < endpoints; i++)
                    cfg.ReceiveEndpoint($"listener-{i}", e => e.Handler<Probe>(_ => Task.CompletedTask));
            });
            await bus.StartAsync();
            try
            {
                for (var i = 0; i < Calls / 10; i++)
                    bus.CheckHealth();
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < Calls; i++)
                    bus.CheckHealth();
                clock.Stop();
                var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
                Console.WriteLine($"{endpoints,4} receive endpoints: {clock.Elapsed.TotalMicroseconds / Calls,7:F1} µs and {bytes / Calls,7:N0} bytes per CheckHealth");
            }
            finally
            {
                await bus.StopAsync();
            }
        }

        return 0;
    }

    public sealed record Probe;
}
