namespace EventHub.FaultTests;

/// <summary>A count that tests can await reaching a value: the stream's progress is the clock of a fault, not a timer.</summary>
internal sealed class Milestones
{
    readonly List<(int Value, TaskCompletionSource Reached)> _waiters = [];
    int _count;

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

    /// <summary>Completes when the count reaches <paramref name="value"/>.</summary>
    public Task ReachedAsync(int value)
    {
        lock (_waiters)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_count >= value)
                reached.SetResult();
            else
                _waiters.Add((value, reached));
            return reached.Task;
        }
    }

    /// <summary>Completes when the count has grown by <paramref name="more"/> from now.</summary>
    public Task MoreAsync(int more)
    {
        lock (_waiters)
            return ReachedAsync(_count + more);
    }
}
