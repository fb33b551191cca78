using System.Collections.Concurrent;
using MassTransit;

namespace EventHub.Integration.Tests;

/// <summary>
/// Records every message the host publishes. The ingress awaits its publishes before it answers, so when a response
/// has arrived the record is complete: no waiting needed to prove what was, or was not, published.
/// </summary>
internal sealed class PublishRecorder : IPublishObserver
{
    readonly ConcurrentQueue<(Guid? MessageId, object Message)> _published = new();

    public IReadOnlyList<(Guid? MessageId, object Message)> Published => [.. _published];

    public IReadOnlyList<T> Messages<T>() => [.. _published.Select(p => p.Message).OfType<T>()];

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        _published.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
