using System.Diagnostics.Metrics;

namespace EventHub.Publishing;

/// <summary>
/// When an ingress request waits for the hub's own consumers (docs/adr/0039): while they take events more than
/// <see cref="Lag"/> after the hub accepted them, for at most <see cref="MostWait"/>. After that the request goes on
/// anyway: nothing is refused for being behind, and the broker keeps what the consumers have not taken, as before.
/// </summary>
public sealed record PacingLimits(TimeSpan Lag, TimeSpan MostWait)
{
    public static readonly PacingLimits Off = new(TimeSpan.Zero, TimeSpan.Zero);

    public bool IsOn => Lag > TimeSpan.Zero && MostWait > TimeSpan.Zero;

    /// <summary>A lag not known (no consumer of that kind took anything lately) never holds a request.</summary>
    public bool ShouldWait(TimeSpan? lag, TimeSpan waited) => IsOn && lag > Lag && waited < MostWait;
}

/// <summary>
/// How late the hub's own consumers of this copy take events: the event log (every event) and the detections (Auth0
/// entries only), each as its last batch saw it. Only what they take says how far behind they are: a consumer that takes
/// nothing (stopped, its database away) says nothing after <see cref="Fresh"/>, and holds no request.
/// </summary>
public sealed class ConsumerLag(TimeProvider time)
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(2);

    Observation? _everything;
    Observation? _auth0Only;

    /// <summary>A consumer took a batch whose oldest event the hub accepted at <paramref name="oldestReceivedAt"/>.</summary>
    public void Observed(bool readsAuth0Only, DateTimeOffset oldestReceivedAt)
    {
        var observation = new Observation(time.GetUtcNow() - oldestReceivedAt, time.GetTimestamp());
        if (readsAuth0Only)
            Volatile.Write(ref _auth0Only, observation);
        else
            Volatile.Write(ref _everything, observation);
    }

    /// <summary>The larger lag of the consumers that take these events (Auth0 entries go to both); null when neither has a fresh one.</summary>
    public TimeSpan? Of(bool auth0Entries)
    {
        var now = time.GetTimestamp();
        var everything = FreshLag(Volatile.Read(ref _everything), now);
        var auth0Only = auth0Entries ? FreshLag(Volatile.Read(ref _auth0Only), now) : null;
        if (everything is null || auth0Only is null)
            return everything ?? auth0Only;
        return everything > auth0Only ? everything : auth0Only;
    }

    TimeSpan? FreshLag(Observation? observation, long now) =>
        observation is not null && time.GetElapsedTime(observation.At, now) <= Fresh ? observation.Lag : null;

    sealed record Observation(TimeSpan Lag, long At);
}

/// <summary>
/// Holds an ingress request, before the hub stamps and publishes its events, while the hub's own consumers are behind:
/// under a flood the hub then accepts what it can also store and evaluate, and its event log and detections stay within
/// about <see cref="PacingLimits.Lag"/> of what it answered 2xx to, instead of a backlog that grows for as long as the
/// flood lasts (docs/adr/0039). The hold comes before the events' <c>ReceivedAt</c>, so it is not counted as the
/// consumers' lag.
/// </summary>
public sealed class IngressPacing(ConsumerLag lag, PacingLimits limits, TimeProvider time)
{
    // Consumers report a lag with each batch, several times a second under load; a held request looks this often.
    static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);
    static readonly Meter Meter = new("EventHub.Publishing");
    static readonly Histogram<double> Held = Meter.CreateHistogram(
        "eventhub.ingress.paced.duration", "s", "How long ingress requests were held while the hub's own consumers were behind; only requests that were held.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.02, 0.05, 0.1, 0.15, 0.25, 0.5, 0.75, 1, 1.5, 2, 5, 10, 30, 60] });

    /// <summary>Waits while the consumers of these events are behind; returns how long: zero when they were not.</summary>
    public async ValueTask<TimeSpan> WaitAsync(bool auth0Entries, CancellationToken cancellationToken)
    {
        if (!limits.IsOn)
            return TimeSpan.Zero;
        var start = time.GetTimestamp();
        while (true)
        {
            var waited = time.GetElapsedTime(start);
            if (!limits.ShouldWait(lag.Of(auth0Entries), waited))
            {
                if (waited > TimeSpan.Zero)
                    Held.Record(waited.TotalSeconds);
                return waited;
            }

            await Task.Delay(Step, time, cancellationToken);
        }
    }
}
