using EventHub.TestSupport;
using System.Diagnostics;

namespace EventHub.LoadTest;

/// <summary>
/// Runs a host's paths, unmeasured, in rounds (for the first copy every path: ingest, flood, end to end) until its tiered
/// compiler has settled: under <see cref="SettledShare"/> of the copy's CPU in a round. At most <see cref="MostRounds"/>
/// rounds and <see cref="Limit"/>; a host that is not a process of this machine gets one round.
/// </summary>
internal static class WarmUp
{
    const double SettledShare = 0.05;
    const int MostRounds = 8;
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public sealed record Result(int Rounds, TimeSpan Elapsed, TimeSpan? HostCpu, TimeSpan? CompilerCpu, double? LastRoundShare, bool Settled)
    {
        public string Describe() => HostCpu is null
            ? $"{Rounds} round in {Elapsed.TotalSeconds:F0} s (the host is not a process here: its compiler is not watched)"
            : $"{Rounds} rounds in {Elapsed.TotalSeconds:F0} s; the tiered compiler used {CompilerCpu!.Value.TotalSeconds:F1} s of the host's {HostCpu!.Value.TotalSeconds:F1} s of CPU, "
              + $"{LastRoundShare:P0} in the last round: {(Settled ? "settled" : "not settled")}";
    }

    /// <summary>The host's every path, in rounds, until its compiler settled.</summary>
    public static Task<Result> RunAsync(HubTarget hub, Auth0Batches batches, ServerCpu servers, LoadTestOptions options) =>
        UntilSettledAsync(hub.HostPid, "host", async () =>
        {
            await IngestPhase.RunAsync(hub, [(hub.BaseAddress, hub.HostPid)], batches, options.Phase(6), servers, options.Phase(60));
            await IngestPhase.RunAsync(hub, [(hub.BaseAddress, hub.HostPid)], Flood.Batches("warm-" + Guid.NewGuid().ToString("N")[..8]), options.Phase(3), servers, options.Phase(60));
            await using var receiver = await WebhookReceiver.StartAsync();
            await EndToEnd.RunAsync(hub, receiver, rate: 200, options.Phase(3), drainLimit: TimeSpan.FromSeconds(20));
        });

    /// <summary>Runs <paramref name="round"/> until the tiered compiler of process <paramref name="pid"/> used under <see cref="SettledShare"/> of its CPU in one.</summary>
    public static async Task<Result> UntilSettledAsync(int? pid, string whose, Func<Task> round)
    {
        var clock = Stopwatch.StartNew();
        var cpuBefore = ProcessCpu.Read(pid);
        var compilerTotal = TimeSpan.Zero;
        for (var rounds = 1; ; rounds++)
        {
            var roundBefore = ProcessCpu.Read(pid);
            await using var compiler = TieredCompiler.Watch(pid);
            await round();
            if (compiler is null || ProcessCpu.Read(pid) - roundBefore is not { } spent)
                return new Result(rounds, clock.Elapsed, null, null, null, false);

            var compiled = await compiler.StopAsync();
            compilerTotal += compiled;
            var share = compiled / spent;
            Console.WriteLine($"    round {rounds}: {whose} CPU {spent.TotalSeconds:F1} s, its tiered compiler {compiled.TotalSeconds:F1} s ({share:P0})");
            var settled = share < SettledShare;
            if (settled || rounds == MostRounds || clock.Elapsed > Limit)
                return new Result(rounds, clock.Elapsed, ProcessCpu.Read(pid) - cpuBefore, compilerTotal, share, settled);
        }
    }
}
