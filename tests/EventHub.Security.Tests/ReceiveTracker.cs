using System.Collections.Concurrent;
using MassTransit;

namespace EventHub.Security.Tests;

/// <summary>
/// Counts, per message id, the endpoints that finished receiving it: the whole pipe, saga saved and outbox published.
/// The harness's own waits report a saga message consumed before its instance is saved, and end at the first idle moment.
/// </summary>
internal sealed class ReceiveTracker : IReceiveObserver
{
    readonly ConcurrentDictionary<Guid, int> _finished = new();
    readonly List<(Guid Id, int Count, TaskCompletionSource Done)> _waiters = [];
    readonly Lock _lock = new();

    public Task WaitAsync(Guid messageId, int endpoints)
    {
        lock (_lock)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_finished.GetValueOrDefault(messageId) >= endpoints)
                done.SetResult();
            else
                _waiters.Add((messageId, endpoints, done));
            return done.Task;
        }
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Finished(context);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Finished(context);

    Task Finished(ReceiveContext context)
    {
        if (context.GetMessageId() is not { } id)
            return Task.CompletedTask;
        lock (_lock)
        {
            var count = _finished.AddOrUpdate(id, 1, (_, n) => n + 1);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Id != id || count < _waiters[i].Count)
                    continue;
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }

        return Task.CompletedTask;
    }
}
