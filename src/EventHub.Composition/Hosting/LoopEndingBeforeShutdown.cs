using Microsoft.Extensions.Hosting;

namespace EventHub.Composition.Hosting;

/// <summary>
/// A background loop that ends as soon as the host begins to stop, before any hosted service stops, MassTransit's bus
/// among them. For loops that stop or restart receive endpoints: MassTransit 8.5's <c>ReceiveEndpoint.Stop</c> is not
/// safe against a second stop at the same time (it checks its handle, awaits, then uses it: a NullReferenceException
/// that failed a host's shutdown in ci51), and while the bus stops, its endpoints look stopped to such a loop.
/// </summary>
public abstract class LoopEndingBeforeShutdown : BackgroundService, IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken) => base.StopAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
