namespace EventHub.FaultTests;

/// <summary>
/// A count that tests can await reaching a value: the stream's progress is the clock of a fault, not a timer. A wait
/// never outlives its source: it fails when the sender stops before the count is reached (<see cref="Close"/>), and
/// after <see cref="Limit"/> in any case, so a stalled stream fails the test instead of hanging the run.
/// </summary>
internal sealed class Milestones
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    readonly List<(int Value, TaskCompletionSource Reached)> _waiters = [];
    int _count;
    string? _closed;

    public int Count
    {
        get { lock (_waiters) return _count; }
    }

    public void Increment()
    {
        lock (_waiters)
        {
            _count++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Value > _count)
                    continue;
                _waiters[i].Reached.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>No more increments will come: every wait for a count not reached fails with <paramref name="why"/>.</summary>
    public void Close(string why)
    {
        lock (_waiters)
        {
            _closed = why;
            foreach (var (value, reached) in _waiters)
                reached.TrySetException(new InvalidOperationException($"waited for {value}, the count stopped at {_count}: {why}"));
            _waiters.Clear();
        }
    }

    /// <summary>Completes when the count reaches <paramref name="value"/>.</summary>
    public Task ReachedAsync(int value)
    {
        lock (_waiters)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_count >= value)
                reached.SetResult();
            else if (_closed is not null)
                reached.SetException(new InvalidOperationException($"waited for {value}, the count stopped at {_count}: {_closed}"));
            else
                _waiters.Add((value, reached));
            return reached.Task.WaitAsync(Limit);
        }
    }

    /// <summary>Completes when the count has grown by <paramref name="more"/> from now.</summary>
    public Task MoreAsync(int more)
    {
        lock (_waiters)
            return ReachedAsync(_count + more);
    }
}
