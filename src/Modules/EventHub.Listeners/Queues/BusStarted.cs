using MassTransit;

namespace EventHub.Listeners.Queues;

/// <summary>
/// Completes once the bus has started: every receive endpoint it was configured with is ready ("Bus started"). On
/// RabbitMQ the host serves HTTP before that (it answers 503 while the broker is away), so the application's Started
/// event comes first. A listener endpoint connected in between races the bus's own start: MassTransit adds it to the
/// bus's endpoints and then starts it, while the bus's start starts every endpoint it finds not started yet.
/// </summary>
internal sealed class BusStarted : IBusObserver
{
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _started.Task;

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        _started.TrySetResult();
        return Task.CompletedTask;
    }

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
