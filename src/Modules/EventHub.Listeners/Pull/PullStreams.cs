using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
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

    public PullOffer? FindInFlight(string listenerId, string eventId) =>
        _listeners.TryGetValue(listenerId, out var streams) && streams.InFlight.TryGetValue(eventId, out var offer) ? offer : null;
}

internal sealed class ListenerStreams
{
    public List<PullStream> Connections { get; } = [];

    public Channel<PullOffer> Waiting { get; } = Channel.CreateUnbounded<PullOffer>();

    public ConcurrentDictionary<string, PullOffer> InFlight { get; } = new(StringComparer.Ordinal);

    public object Gate { get; } = new();

    public int Count
    {
        get
        {
            lock (Gate)
                return Connections.Count;
        }
    }
}

/// <summary>One connected stream: takes offers while it has fewer than its maximum in flight.</summary>
internal sealed class PullStream(ListenerStreams streams, int maxInFlight, CancellationToken requestAborted) : IDisposable
{
    readonly CancellationTokenSource _closed = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);

    public ListenerStreams Streams { get; } = streams;

    /// <summary>Cancelled when the client goes away or the stream is closed by the hub.</summary>
    public CancellationToken Closed => _closed.Token;

    public void Abandon()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits for a free slot and the next offer; the offer is in flight on this stream when returned.</summary>
    public async Task<PullOffer> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _slots.WaitAsync(cancellationToken);
            PullOffer offer;
            try
            {
                offer = await Streams.Waiting.Reader.ReadAsync(cancellationToken);
            }
            catch
            {
                _slots.Release();
                throw;
            }

            if (offer.TryTake(this))
                return offer;
            _slots.Release();
        }
    }

    public void FreeSlot() => _slots.Release();

    public void Dispose()
    {
        _closed.Dispose();
        _slots.Dispose();
    }
}

/// <summary>
/// One event offered to the streams: waiting, then in flight on one stream, then settled by an acknowledgement (a
/// result), a timeout or a closed stream (a failure), or given back unsent (null: no stream could take it).
/// </summary>
internal sealed class PullOffer(ListenerStreams streams, DeliveryItem item, int attempt, TimeSpan timeout, TimeProvider time)
{
    readonly TaskCompletionSource<SendResult?> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource<bool> _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly object _lock = new();
    ITimer? _timer;
    long _sentAt;

    public DeliveryItem Item { get; } = item;

    public int Attempt { get; } = attempt;

    public PullStream? Holder { get; private set; }

    public Task<SendResult?> Outcome => _outcome.Task;

    /// <summary>Completes once the deliverer has tried to store the outcome (true: stored), so an acknowledgement answers after its output is visible.</summary>
    public Task<bool> Recorded => _recorded.Task;

    public void MarkRecorded(bool stored) => _recorded.TrySetResult(stored);

    public void StartWaitLimit()
    {
        lock (_lock)
        {
            if (Holder is not null || _outcome.Task.IsCompleted)
                return;
            _timer = time.CreateTimer(_ => OnWaitLimit(), null, timeout, Timeout.InfiniteTimeSpan);
        }
    }

    void OnWaitLimit()
    {
        lock (_lock)
        {
            if (Holder is not null)
                return;
        }

        Settle(null);
    }

    public bool TryTake(PullStream stream)
    {
        lock (_lock)
        {
            if (_outcome.Task.IsCompleted || Holder is not null)
                return false;
            Holder = stream;
            _sentAt = Stopwatch.GetTimestamp();
            streams.InFlight[Item.EventId] = this;
            _timer?.Dispose();
            _timer = time.CreateTimer(_ => Settle(Failure($"no acknowledgement within {timeout.TotalSeconds:0} s")), null, timeout, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    public SendResult Failure(string error) => new(null, Elapsed(), null, error, null) { Acknowledged = false };

    public SendResult Acknowledgement(bool succeeded, string? output, string? error) => new(null, Elapsed(), output, error, null) { Acknowledged = succeeded };

    /// <summary>Settles the offer once; false when it was settled already (acknowledged late, after its timeout).</summary>
    public bool Settle(SendResult? result)
    {
        if (!_outcome.TrySetResult(result))
            return false;
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }

        if (Holder is { } holder)
        {
            streams.InFlight.TryRemove(new KeyValuePair<string, PullOffer>(Item.EventId, this));
            try
            {
                holder.FreeSlot();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        return true;
    }

    int Elapsed() => _sentAt == 0 ? 0 : (int)Stopwatch.GetElapsedTime(_sentAt).TotalMilliseconds;
}
