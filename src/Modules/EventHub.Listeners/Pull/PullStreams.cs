using System.Collections.Concurrent;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Registry;

namespace EventHub.Listeners.Pull;

/// <summary>
/// The pull streams connected to this copy, per listener, and the events in flight to them. An event taken from the
/// listener's queue (or due for a retry) is offered here; the first stream with a free slot sends it (competing
/// consumers); its acknowledgement, its timeout or the stream closing settles the offer. See docs/adr/0004.
/// </summary>
internal sealed class PullStreams(TimeProvider time)
{
    readonly ConcurrentDictionary<string, ListenerStreams> _listeners = new();

    public bool HasStreams(string listenerId) => _listeners.TryGetValue(listenerId, out var streams) && streams.Count > 0;

    public IReadOnlyCollection<string> ListenersWithStreams() => [.. _listeners.Where(l => l.Value.Count > 0).Select(l => l.Key)];

    /// <summary>
    /// A new stream. A <paramref name="lastEventId"/> still in flight on another stream of this copy means that stream is
    /// the client's previous, dead connection: it is closed, so what it held is redelivered now rather than at its timeout.
    /// </summary>
    public PullStream Connect(string listenerId, int maxInFlight, string? lastEventId, CancellationToken requestAborted)
    {
        var streams = _listeners.GetOrAdd(listenerId, _ => new ListenerStreams());
        if (lastEventId is not null && streams.InFlight.TryGetValue(lastEventId, out var held))
            held.Holder?.Abandon();
        var stream = new PullStream(streams, maxInFlight, requestAborted);
        lock (streams.Gate)
            streams.Connections.Add(stream);
        return stream;
    }

    /// <summary>The stream ended: what it held unacknowledged is failed (and so redelivered); when it was the last, waiting offers go back.</summary>
    public void Disconnect(PullStream stream)
    {
        var streams = stream.Streams;
        foreach (var offer in streams.InFlight.Values.Where(o => o.Holder == stream))
            offer.Settle(offer.Failure("the stream closed before the event was acknowledged"));
        lock (streams.Gate)
        {
            streams.Connections.Remove(stream);
            if (streams.Connections.Count > 0)
                return;
            while (streams.Waiting.Reader.TryRead(out var waiting))
                waiting.Settle(null);
        }
    }

    /// <summary>Closes every stream of a listener (deregistered).</summary>
    public void CloseAll(string listenerId)
    {
        if (!_listeners.TryGetValue(listenerId, out var streams))
            return;
        List<PullStream> open;
        lock (streams.Gate)
            open = [.. streams.Connections];
        // Outside the lock: closing a stream may run its request's ending (Disconnect) on this thread.
        foreach (var stream in open)
            stream.Abandon();
    }

    /// <summary>Offers an event to the listener's streams here; null when none is connected.</summary>
    public PullOffer? Offer(Listener listener, DeliveryItem item, int attempt)
    {
        if (!_listeners.TryGetValue(listener.Id, out var streams))
            return null;
        var offer = new PullOffer(streams, item, attempt, TimeSpan.FromSeconds(listener.TimeoutSeconds), time);
        lock (streams.Gate)
        {
            if (streams.Connections.Count == 0)
                return null;
            streams.Waiting.Writer.TryWrite(offer);
        }

        // Not taken by any stream within the timeout (all busy): back to the schedule rather than held without bound.
        offer.StartWaitLimit();
        return offer;
    }

    /// <summary>Settles an event in flight on a stream of this copy: null when none holds it, else whether its outcome was stored.</summary>
    public async Task<bool?> SettleHereAsync(string listenerId, string eventId, bool succeeded, string? output, string? error, CancellationToken cancellationToken)
    {
        var offer = FindInFlight(listenerId, eventId);
        if (offer is null || !offer.Settle(offer.Acknowledgement(succeeded, output, succeeded ? null : error ?? "the handler failed")))
            return null;
        return await offer.Recorded.WaitAsync(cancellationToken);
    }

    public PullOffer? FindInFlight(string listenerId, string eventId) =>
        _listeners.TryGetValue(listenerId, out var streams) && streams.InFlight.TryGetValue(eventId, out var offer) ? offer : null;
}
