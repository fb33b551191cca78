using EventHub.TestSupport;
using System.Diagnostics;

namespace EventHub.LoadTest;

/// <summary>
/// Runs every path of the host, unmeasured, in rounds (ingest, flood, end to end) until its tiered compiler has
/// settled: under <see cref="SettledShare"/> of the host's CPU in a round. At most <see cref="MostRounds"/> rounds and
/// <see cref="Limit"/>; a host that is not a process of this machine gets one round.
/// </summary>
internal static class WarmUp
{
    public const double SettledShare = 0.05;
    public const int MostRounds = 8;
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public sealed record Result(int Rounds, TimeSpan Elapsed, TimeSpan? HostCpu, TimeSpan? CompilerCpu, double? LastRoundShare, bool Settled)
    {
        public string Describe() => HostCpu is null
            ? $"{Rounds} round in {Elapsed.TotalSeconds:F0} s (the host is not a process here: its compiler is not watched)"
            : $"{Rounds} rounds in {Elapsed.TotalSeconds:F0} s; the tiered compiler used {CompilerCpu!.Value.TotalSeconds:F1} s of the host's {HostCpu!.Value.TotalSeconds:F1} s of CPU, "
              + $"{LastRoundShare:P0} in the last round: {(Settled ? "settled" : "not settled")}";
    }

    public static async Task<Result> RunAsync(HubTarget hub, Auth0Batches batches, ServerCpu broker, LoadTestOptions options)
    {
        var clock = Stopwatch.StartNew();
        var hostBefore = ProcessCpu.Read(hub.HostPid);
        TimeSpan compilerTotal = TimeSpan.Zero;
        double? share = null;
        var rounds = 0;
        while (true)
        {
            rounds++;
            var roundBefore = ProcessCpu.Read(hub.HostPid);
            await using var compiler = TieredCompiler.Watch(hub.HostPid);
            await IngestPhase.RunAsync(hub, [(hub.BaseAddress, hub.HostPid)], batches, options.Phase(6), broker, options.Phase(60));
            await IngestPhase.RunAsync(hub, [(hub.BaseAddress, hub.HostPid)], Flood.Batches("warm-" + Guid.NewGuid().ToString("N")[..8]), options.Phase(3), broker, options.Phase(60));
            await using (var receiver = await WebhookReceiver.StartAsync())
                await EndToEnd.RunAsync(hub, receiver, rate: 200, options.Phase(3), drainLimit: TimeSpan.FromSeconds(20));
            if (compiler is null || ProcessCpu.Read(hub.HostPid) - roundBefore is not { } host)
                return new Result(rounds, clock.Elapsed, null, null, null, false);

            var compiled = await compiler.StopAsync();
            compilerTotal += compiled;
            share = compiled / host;
            Console.WriteLine($"    round {rounds}: host CPU {host.TotalSeconds:F1} s, tiered compiler {compiled.TotalSeconds:F1} s ({share:P0})");
            var settled = share < SettledShare;
            if (settled || rounds == MostRounds || clock.Elapsed > Limit)
                return new Result(rounds, clock.Elapsed, ProcessCpu.Read(hub.HostPid) - hostBefore, compilerTotal, share, settled);
        }
    }
}
