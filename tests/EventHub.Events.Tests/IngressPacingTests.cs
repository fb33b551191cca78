using EventHub.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace EventHub.Events.Tests;

/// <summary>When an ingress request waits for the hub's own consumers (docs/adr/0039), on a clock the test moves.</summary>
public sealed class IngressPacingTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly PacingLimits Limits = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));
    static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    readonly FakeTimeProvider _time = new();
    readonly ConsumerLag _lag;

    public IngressPacingTests() => _lag = new ConsumerLag(_time);

    [Fact]
    public async Task A_request_goes_at_once_while_the_consumers_keep_within_the_lag()
    {
        EventLogStored(lateBy: TimeSpan.FromMilliseconds(500));
        DetectionsCounted(lateBy: TimeSpan.FromMilliseconds(400));

        Assert.Equal(TimeSpan.Zero, await Pacing(Limits).WaitAsync(auth0Entries: true, Cancel));
    }

    [Fact]
    public async Task A_request_is_held_while_the_event_log_is_behind_and_goes_once_it_has_caught_up()
    {
        EventLogStored(lateBy: TimeSpan.FromSeconds(3));
        var wait = Pacing(Limits).WaitAsync(auth0Entries: false, Cancel).AsTask();

        Move(wait, TimeSpan.FromMilliseconds(500));
        Assert.False(wait.IsCompleted);
        EventLogStored(lateBy: TimeSpan.FromMilliseconds(100));
        Move(wait, TimeSpan.FromSeconds(1));

        Assert.True(wait.IsCompleted);
        // The fake clock's time: held at least as long as the event log was behind.
        Assert.InRange(await wait, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task A_request_held_for_the_most_wait_goes_on_so_nothing_is_refused_for_being_behind()
    {
        EventLogStored(lateBy: TimeSpan.FromSeconds(3));
        var wait = Pacing(Limits).WaitAsync(auth0Entries: false, Cancel).AsTask();

        // Still behind at every look, as under a flood that outlasts the most wait.
        for (var moved = TimeSpan.Zero; moved < TimeSpan.FromSeconds(5) && !wait.IsCompleted; moved += Tick)
        {
            EventLogStored(lateBy: TimeSpan.FromSeconds(3));
            Move(wait, Tick);
        }

        Assert.True(wait.IsCompleted);
        Assert.InRange(await wait, Limits.MostWait, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_consumer_that_takes_nothing_holds_no_request_once_its_last_lag_is_no_longer_fresh()
    {
        // Its database is away, say: the batch it holds says nothing, and what it said last grows old.
        EventLogStored(lateBy: TimeSpan.FromSeconds(30));
        var wait = Pacing(Limits).WaitAsync(auth0Entries: false, Cancel).AsTask();

        Move(wait, ConsumerLag.Fresh + TimeSpan.FromSeconds(1));

        Assert.True(wait.IsCompleted);
    }

    [Fact]
    public async Task No_lag_seen_yet_holds_no_request()
    {
        Assert.Equal(TimeSpan.Zero, await Pacing(Limits).WaitAsync(auth0Entries: true, Cancel));
    }

    [Fact]
    public async Task Only_Auth0_ingress_waits_for_the_detections_which_read_nothing_else()
    {
        EventLogStored(lateBy: TimeSpan.FromMilliseconds(100));
        DetectionsCounted(lateBy: TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.Zero, await Pacing(Limits).WaitAsync(auth0Entries: false, Cancel));
        var auth0 = Pacing(Limits).WaitAsync(auth0Entries: true, Cancel).AsTask();
        Move(auth0, TimeSpan.FromMilliseconds(200));
        Assert.False(auth0.IsCompleted);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(500, 0)]
    public async Task Pacing_switched_off_never_holds_a_request(int lagMilliseconds, int mostWaitSeconds)
    {
        EventLogStored(lateBy: TimeSpan.FromMinutes(1));

        var waited = await Pacing(new PacingLimits(TimeSpan.FromMilliseconds(lagMilliseconds), TimeSpan.FromSeconds(mostWaitSeconds))).WaitAsync(auth0Entries: false, Cancel);

        Assert.Equal(TimeSpan.Zero, waited);
    }

    [Fact]
    public async Task A_caller_that_goes_away_stops_its_wait()
    {
        EventLogStored(lateBy: TimeSpan.FromMinutes(1));
        using var gone = new CancellationTokenSource();
        var wait = Pacing(Limits).WaitAsync(auth0Entries: false, gone.Token).AsTask();

        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    IngressPacing Pacing(PacingLimits limits) => new(_lag, limits, _time);

    void EventLogStored(TimeSpan lateBy) => _lag.Observed(readsAuth0Only: false, _time.GetUtcNow() - lateBy);

    void DetectionsCounted(TimeSpan lateBy) => _lag.Observed(readsAuth0Only: true, _time.GetUtcNow() - lateBy);

    /// <summary>
    /// Moves the clock a tick at a time until the wait ends or the time is up. The fake clock completes a due delay inside
    /// <c>Advance</c>, and the wait's next look (and its next delay) runs there too, so each tick is one look.
    /// </summary>
    void Move(Task wait, TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by && !wait.IsCompleted; moved += Tick)
            _time.Advance(Tick);
    }
}
