using System.Diagnostics.Metrics;

namespace EventHub.Auth0.EventStreams;

/// <summary>Event Streams ingress counters, on the <c>EventHub.Auth0</c> meter.</summary>
internal sealed class EventStreamMetrics
{
    readonly Counter<long> _events;
    readonly Counter<long> _rejected;

    public EventStreamMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("EventHub.Auth0");
        _events = meter.CreateCounter<long>("eventhub.auth0.event_streams.events", "{event}", "Auth0 Event Streams events accepted, by outcome (typed, unknown_type, test).");
        _rejected = meter.CreateCounter<long>("eventhub.auth0.event_streams.requests.rejected", "{request}", "Auth0 Event Streams requests not accepted, by reason.");
    }

    public void Accepted(string outcome, long count)
    {
        if (count > 0)
            _events.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
