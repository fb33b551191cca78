using System.Diagnostics;
using System.Threading.Channels;

namespace EventHub.Publishing;

/// <summary>
/// Turns many concurrent writes into one round trip: callers queue an item and await their own result, one loop takes
/// what is queued (up to <c>maxWeight</c>, at least one item) and writes it with one call. No timer: a lone caller is
/// written at once, and what queues while a write is on the wire goes together in the next. Used for emit claims
/// (one statement for many ids) and for the hub's event batches (one message for many publishes).
/// </summary>
public sealed class WriteBatcher<TItem, TResult>
{
    readonly Channel<(TItem Item, TaskCompletionSource<TResult> Done, Activity? Caller)> _queue =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>, Activity?)>(new UnboundedChannelOptions { SingleReader = true });
    readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _write;
    readonly Func<TItem, int> _weight;
    readonly int _maxWeight;
    (TItem Item, TaskCompletionSource<TResult> Done, Activity? Caller)? _carried;

    /// <param name="write">Writes the items in one round trip; returns one result per item, in order. If it throws, every caller of the batch gets the exception.</param>
    /// <param name="weight">An item's share of a round trip (its rows), so a batch stays within the database's parameter limits.</param>
    /// <param name="maxWeight">The most a round trip carries, unless one item alone weighs more.</param>
    public WriteBatcher(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write, Func<TItem, int> weight, int maxWeight)
    {
        _write = write;
        _weight = weight;
        _maxWeight = maxWeight;
        // The loop lives as long as the process (the batcher is a singleton); it never ends with an exception. It must not
        // keep the context of whoever created it (a request's trace, for every write after).
        using (ExecutionContext.SuppressFlow())
            _ = Task.Run(LoopAsync);
    }

    /// <summary>
    /// Written with whatever else is queued. Not cancellable once queued: the caller learns whether its write happened,
    /// so a claim is never left behind by a caller that stopped waiting.
    /// </summary>
    public Task<TResult> WriteAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite((item, done, Activity.Current));
        return done.Task;
    }

    async Task LoopAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Done, Activity? Caller)>();
        while (_carried is not null || await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var weight = 0;
            if (_carried is { } carried)
            {
                batch.Add(carried);
                weight = _weight(carried.Item);
                _carried = null;
            }

            while (weight < _maxWeight && _queue.Reader.TryRead(out var next))
            {
                var itemWeight = _weight(next.Item);
                if (batch.Count > 0 && weight + itemWeight > _maxWeight)
                {
                    _carried = next;
                    break;
                }

                batch.Add(next);
                weight += itemWeight;
            }

            try
            {
                // In the trace of the first caller it carries (a span has one parent), so a lone caller's trace is whole.
                Task<IReadOnlyList<TResult>> writing;
                Activity.Current = batch[0].Caller;
                try
                {
                    writing = _write([.. batch.Select(b => b.Item)]);
                }
                finally
                {
                    Activity.Current = null;
                }

                var results = await writing;
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var (_, done, _) in batch)
                    done.TrySetException(e);
            }
        }
    }
}
