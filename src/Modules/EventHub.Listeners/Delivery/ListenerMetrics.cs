using System.Diagnostics.Metrics;

namespace EventHub.Listeners.Delivery;

/// <summary>Delivery outcomes and latency per listener, on the <c>EventHub.Listeners</c> meter.</summary>
internal sealed class ListenerMetrics
{
    public const string MeterName = "EventHub.Listeners";

    readonly Counter<long> _attempts;
    readonly Histogram<double> _duration;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _depths = new();

    public ListenerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _attempts = meter.CreateCounter<long>("eventhub.listener.attempts", "{attempt}", "Webhook delivery attempts by listener and outcome (succeeded, retrying, dead, gone).");
        _duration = meter.CreateHistogram<double>("eventhub.listener.attempt.duration", "ms", "Time from sending a delivery to its answer.");
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
}
