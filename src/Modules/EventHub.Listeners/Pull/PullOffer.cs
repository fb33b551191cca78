using System.Diagnostics;
using EventHub.Listeners.Delivery;

namespace EventHub.Listeners.Pull;

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
