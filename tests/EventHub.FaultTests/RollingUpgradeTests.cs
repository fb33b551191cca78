using System.Diagnostics;
using EventHub.TestSupport;

namespace EventHub.FaultTests;

/// <summary>
/// A rolling upgrade as Svix and Outpost operators run one: two copies of the previous release on one broker and one
/// database, replaced one at a time by this build (SIGTERM, then the new copy on the same port) while an Auth0 stream
/// goes on. For a while the two versions run side by side on the same queues and schema.
/// </summary>
public sealed class RollingUpgradeTests(BrokerFixture broker, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_lose_nothing_and_answer_no_5xx_but_503_while_copies_of_the_previous_release_are_replaced_one_by_one()
    {
        var clock = Stopwatch.StartNew();
        var previous = await PreviousRelease.HostAssemblyAsync();
        output.WriteLine($"previous release {PreviousRelease.Commit} ready in {clock.Elapsed.TotalSeconds:F0} s");
        await using var run = await FaultRun.StartAsync(broker.Node, postgres.Cluster, copies: 2, previous);
        var rolled = new TaskCompletionSource();
        var sending = run.Sender.RunAsync(100_000, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(3), rolled.Task);

        try
        {
            for (var copy = 0; copy < 2; copy++)
            {
                await run.Sender.AcknowledgedBatches.MoreAsync(5).WaitAsync(Eventually.DefaultLimit, TestContext.Current.CancellationToken);
                clock.Restart();
                await run.ReplaceHostAsync(copy);
                await run.DeliveringAsync(copy);
                output.WriteLine($"copy {copy} replaced by this build in {clock.Elapsed.TotalSeconds:F1} s");
            }

            await run.Sender.AcknowledgedBatches.MoreAsync(5).WaitAsync(Eventually.DefaultLimit, TestContext.Current.CancellationToken);
        }
        finally
        {
            rolled.TrySetResult();
        }

        await sending;
        var figures = await run.SettleAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"rolling upgrade from {PreviousRelease.Commit}: {figures} (posts refused and resent: {run.Sender.FailedPosts.Count}, 5xx other than 503: {run.Sender.ServerErrors})");
        Assert.Equal(0, figures.Lost);
        Assert.Equal(0, figures.BadSignatures);
        Assert.Equal(0, run.Sender.ServerErrors);
    }
}
