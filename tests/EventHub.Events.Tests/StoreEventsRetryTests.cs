using EventHub.Composition.Retry;
using EventHub.Contracts;
using EventHub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Events.Tests;

/// <summary>
/// How many times the event log writer really runs for a message that always fails: the container's policy's retries plus
/// one. A second retry filter on the endpoint does not multiply them, MassTransit's outer filter gives up when an inner
/// one did, but the innermost wins and the named policy silently stops applying: this test then fails. The policy here
/// has its own count (3) and millisecond intervals, so no other policy can pass for it. The store fails for real: its
/// table is absent.
/// </summary>
public sealed class StoreEventsRetryTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_that_always_fails_is_consumed_once_plus_the_named_store_policys_retries_and_then_faults()
    {
        var policies = new RetryPolicies { StoreEvents = new RetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)) };
        var attempts = new CountingClock();
        await using var provider = EventLogHarness.Build(policies, attempts);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            await harness.Bus.Publish(HubEventBatch.Of([EventLogHarness.Event("order.placed")]), Cancel);

            await Eventually.UntilAsync(() => harness.Published.Any<Fault<HubEventBatch>>(Cancel), faulted => faulted, what: "the fault after the last retry");
            // An outer retry filter would start over after the inner one's fault: wait until the bus has nothing left to do.
            await harness.InactivityTask.WaitAsync(Cancel);

            Assert.Equal(policies.StoreEvents.Retries + 1, attempts.Count);
        }
        finally
        {
            await harness.Stop(Cancel);
        }
    }

    /// <summary>The writer reads the clock once per run, before it writes: each read is one attempt.</summary>
    sealed class CountingClock : TimeProvider
    {
        int _count;

        public int Count => Volatile.Read(ref _count);

        public override DateTimeOffset GetUtcNow()
        {
            Interlocked.Increment(ref _count);
            return base.GetUtcNow();
        }
    }
}
