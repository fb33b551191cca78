using System.Diagnostics.Metrics;

namespace EventHub.Events;

/// <summary>Emit outcomes and events stored per name prefix, on the <c>EventHub.Events</c> meter.</summary>
internal sealed class EventsMetrics
{
    public const string MeterName = "EventHub.Events";

    readonly Counter<long> _emitted;
    readonly Counter<long> _rejected;
    readonly Counter<long> _stored;

    public EventsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _emitted = meter.CreateCounter<long>("eventhub.events.emitted", "{event}", "Events accepted by POST /v1/events, by name prefix.");
        _rejected = meter.CreateCounter<long>("eventhub.events.emit.rejected", "{request}", "Emit requests not accepted, by reason (invalid, too_large, unavailable).");
        _stored = meter.CreateCounter<long>("eventhub.events.stored", "{event}", "Events taken in by the event log (Auth0 and emitted; a redelivered duplicate counts again), by name prefix.");
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
