using System.Diagnostics.Metrics;

namespace EventHub.Events;

/// <summary>Emit outcomes and events stored per name prefix, on the <c>EventHub.Events</c> meter.</summary>
internal sealed class EventsMetrics
{
    public const string MeterName = "EventHub.Events";

    readonly Counter<long> _emitted;
    readonly Counter<long> _rejected;
    readonly Counter<long> _stored;
    readonly Histogram<double> _storeLag;

    public EventsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _emitted = meter.CreateCounter<long>("eventhub.events.emitted", "{event}", "Events accepted by POST /v1/events, by name prefix.");
        _rejected = meter.CreateCounter<long>("eventhub.events.emit.rejected", "{request}", "Emit requests not accepted, by reason (invalid, too_large, unavailable).");
        _stored = meter.CreateCounter<long>("eventhub.events.stored", "{event}", "Events taken in by the event log (Auth0 and emitted; a redelivered duplicate counts again), by name prefix.");
        // Finer than OpenTelemetry's default buckets below 100 ms, where the latency of a hub that keeps up lives (seconds, as
        // the listeners' delivery lag).
        _storeLag = meter.CreateHistogram<double>(
            "eventhub.events.store.lag",
            "s",
            "From the hub receiving an event (its received-at) to the event log's consumer taking it, before the write: how far the hub's own consumers are behind.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    public void Emitted(IEnumerable<string> names)
    {
        foreach (var group in names.GroupBy(Prefix, StringComparer.Ordinal))
            _emitted.Add(group.Count(), new KeyValuePair<string, object?>("prefix", group.Key));
    }

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Stored(IEnumerable<string> names)
    {
        foreach (var group in names.GroupBy(Prefix, StringComparer.Ordinal))
            _stored.Add(group.Count(), new KeyValuePair<string, object?>("prefix", group.Key));
    }

    public void StoreLag(TimeSpan lag) => _storeLag.Record(lag.TotalSeconds);

    /// <summary>
    /// The label of a name: its first word (<c>order.placed</c> → <c>order</c>), and for Auth0 events the filter group
    /// too (<c>auth0.auth.login.fail.f</c> → <c>auth0.auth</c>). Whole names would let emitters create series without
    /// bound; prefixes keep the count of series to what the applications' vocabularies have.
    /// </summary>
    public static string Prefix(string name)
    {
        var first = name.IndexOf('.', StringComparison.Ordinal);
        if (first < 0)
            return name;
        if (!name.AsSpan(0, first).SequenceEqual("auth0"))
            return name[..first];
        var second = name.IndexOf('.', first + 1);
        return second < 0 ? name : name[..second];
    }
}
