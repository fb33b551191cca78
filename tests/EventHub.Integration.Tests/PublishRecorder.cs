using System.Collections.Concurrent;
using EventHub.Contracts;
using MassTransit;

namespace EventHub.Integration.Tests;

/// <summary>
/// Records every hub event the host publishes, and apart from them the batches that carry them to the hub's own
/// consumers (docs/adr/0031). The ingress awaits its publishes before it answers, so when a response has arrived the
/// record is complete: no waiting needed to prove what was, or was not, published.
/// </summary>
internal sealed class PublishRecorder : IPublishObserver
{
    readonly ConcurrentQueue<(Guid? MessageId, object Message)> _published = new();
    readonly ConcurrentQueue<HubEventBatch> _batches = new();

    public IReadOnlyList<HubEventBatch> Batches => [.. _batches];

    public IReadOnlyList<(Guid? MessageId, object Message)> Published => [.. _published];

    public IReadOnlyList<T> Messages<T>() => [.. _published.Select(p => p.Message).OfType<T>()];

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        if (context.Message is HubEventBatch batch)
            _batches.Enqueue(batch);
        else
            _published.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
