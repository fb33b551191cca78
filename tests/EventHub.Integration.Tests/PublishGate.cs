using EventHub.Contracts;
using MassTransit;

namespace EventHub.Integration.Tests;

/// <summary>Fails the publish of one event until opened, as a broker that never confirms it would.</summary>
internal sealed class PublishGate(string eventId) : IPublishObserver
{
    volatile bool _open;

    public bool Refused { get; private set; }

    public void Open() => _open = true;

    public Task PrePublish<T>(PublishContext<T> context) where T : class
    {
        if (context.Message is not IHubEvent hubEvent || hubEvent.EventId != eventId || _open)
            return Task.CompletedTask;
        Refused = true;
        throw new InvalidOperationException("The broker did not confirm this message");
    }

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
