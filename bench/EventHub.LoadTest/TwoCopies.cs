using EventHub.TestSupport;

namespace EventHub.LoadTest;

/// <summary>
/// 1 vs 2 copies of the host on one broker and one database: the ingest phase with one copy, then again with the 8
/// connections split over two. The one-copy phase runs here, right before, not taken from the first ingest phase, which
/// pays the host's warm-up (JIT, pools); the second copy is warmed up (unmeasured) before the two-copy phase, until its
/// tiered compiler has settled, for the same reason. Each copy's CPU is divided by every entry ingested: the copies share the consumers' work too.
/// </summary>
internal static class TwoCopies
{
    public sealed record Result(IngestPhase.Result One, IngestPhase.Result Two)
    {
        public double Ratio => Two.EntriesPerSecond / One.EntriesPerSecond;
    }

    public static async Task<Result> RunAsync(HubTarget hub, Auth0Batches batches, LoadTestOptions options, ServerCpu servers)
    {
        IReadOnlyList<(Uri, int?)> first = [(hub.BaseAddress, hub.HostPid)];
        var one = await IngestPhase.RunAsync(hub, first, batches, options.Phase(15), servers, options.Phase(60));
        var second = await hub.StartSecondCopyAsync();
        IReadOnlyList<(Uri, int?)> both = [.. first, (second.BaseAddress, second.Id)];
        Console.WriteLine("    warming the second copy up (not measured) ...");
        // As the first copy was: until the second's tiered compiler has settled, or the two-copy phase would measure a
        // copy still compiling against one that has finished.
        Console.WriteLine($"    {(await WarmUp.UntilSettledAsync(second.Id, "second copy", () => IngestPhase.RunAsync(hub, both, batches, options.Phase(6), servers, options.Phase(60)))).Describe()}");

        Console.WriteLine("    two copies ...");
        var two = await IngestPhase.RunAsync(hub, both, batches, options.Phase(15), servers, options.Phase(60));
        return new Result(one, two);
    }
}
