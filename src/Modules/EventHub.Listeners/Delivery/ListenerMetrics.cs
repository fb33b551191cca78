using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventHub.Listeners.Delivery;

/// <summary>
/// Delivery outcomes, latency and lag per listener, on the <c>EventHub.Listeners</c> meter, and the delivery spans of
/// the <c>EventHub.Listeners</c> activity source (children of MassTransit's consume span, parents of the HTTP call).
/// </summary>
internal sealed class ListenerMetrics
{
    public const string MeterName = "EventHub.Listeners";

    public static readonly ActivitySource Activities = new(MeterName);

    readonly Counter<long> _attempts;
    readonly Histogram<double> _duration;
    readonly Counter<long> _deliveries;
    readonly Counter<long> _deadLetters;
    readonly Histogram<double> _lag;
    readonly Counter<long> _filtered;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _depths = new();

    public ListenerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _attempts = meter.CreateCounter<long>("eventhub.listener.attempts", "{attempt}", "Webhook delivery attempts by listener and outcome (succeeded, retrying, dead, gone).");
        _duration = meter.CreateHistogram<double>("eventhub.listener.attempt.duration", "ms", "Time from sending a delivery to its answer.");
        _deliveries = meter.CreateCounter<long>("eventhub.listener.deliveries", "{event}", "Deliveries finished, by listener and outcome (succeeded, dead, gone).");
        _deadLetters = meter.CreateCounter<long>("eventhub.listener.dead_letters", "{event}", "Events that exhausted a listener's retries and became dead letters, by listener.");
        // OpenTelemetry's default buckets start at 5 (seconds here): a delivery in 20 ms and one in 4 s fell in the same
        // bucket. Milliseconds where a listener that keeps up lives, as the event log's store lag; then the retries' range.
        _lag = meter.CreateHistogram<double>(
            "eventhub.listener.delivery.lag",
            "s",
            "Time from the hub receiving an event to a listener accepting it (retries included), by listener.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600] });
        _filtered = meter.CreateCounter<long>("eventhub.listener.filtered", "{event}", "Events a listener's patterns matched but its payload filter did not: acknowledged without a delivery, by listener.");
        meter.CreateObservableGauge(
            "eventhub.listener.queue.depth",
            () => _depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("listener", d.Key))),
            "{message}",
            "Events waiting in each listener's queue, as last read by this copy.");
    }

    public void QueueDepth(string listenerId, long? depth)
    {
        if (depth is { } value)
            _depths[listenerId] = value;
        else
            _depths.TryRemove(listenerId, out _);
    }

    public void Attempted(string listenerId, string outcome, int durationMs)
    {
        var listener = new KeyValuePair<string, object?>("listener", listenerId);
        _attempts.Add(1, listener, new KeyValuePair<string, object?>("outcome", outcome));
        _duration.Record(durationMs, listener);
    }

    public void Filtered(string listenerId) => _filtered.Add(1, new KeyValuePair<string, object?>("listener", listenerId));

    /// <summary>A delivery reached its end: <paramref name="lag"/> is from the hub receiving the event until now.</summary>
    public void Finished(string listenerId, string outcome, TimeSpan lag)
    {
        var listener = new KeyValuePair<string, object?>("listener", listenerId);
        _deliveries.Add(1, listener, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "succeeded")
            _lag.Record(Math.Max(0, lag.TotalSeconds), listener);
        else if (outcome == "dead")
            _deadLetters.Add(1, listener);
    }
}
