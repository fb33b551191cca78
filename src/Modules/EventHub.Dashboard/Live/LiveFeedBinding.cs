using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Live;

/// <summary>
/// Keeps this copy's live-feed queue bound to <c>eventhub.events</c> only while at least one live page watches: the
/// first watcher connects (or starts again) the temporary endpoint, the last one to leave stops it, and the broker
/// deletes the queue with its consumer. Unwatched, a flood of entries cost a delivery each that nobody read
/// (docs/adr/0021). MassTransit keeps a connected endpoint's name for the life of the bus, so it is connected once and
/// stopped and started after that.
/// </summary>
internal sealed class LiveFeedBinding(IReceiveEndpointConnector connector, IEndpointNameFormatter formatter, ILogger<LiveFeedBinding> logger)
{
    // "Live" on the page means bound; a broker that is away (or a machine that slow) does not hold the page longer than this.
    static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(10);

    readonly SemaphoreSlim _gate = new(1, 1);
    HostReceiveEndpointHandle? _handle;
    int _watchers;

    /// <summary>Bound once this returns (or after <see cref="ReadyLimit"/>, whichever comes first); dispose to stop watching.</summary>
    public async Task<IAsyncDisposable> WatchAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (++_watchers == 1)
                await BindAsync(cancellationToken);
        }
        catch
        {
            // The page went away while its queue was being bound: nobody watches.
            if (--_watchers == 0)
                await StopAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }

        return new Lease(this);
    }

    async Task BindAsync(CancellationToken cancellationToken)
    {
        Task ready;
        if (_handle is null)
        {
            var endpoint = new ConsumerEndpointDefinition<LiveFeedConsumer>(new EndpointSettings<IEndpointDefinition<LiveFeedConsumer>>
            {
                IsTemporary = true,
                InstanceId = Guid.NewGuid().ToString("N")[..12],
            });
            var name = endpoint.GetEndpointName(formatter);
            _handle = connector.ConnectReceiveEndpoint(endpoint, formatter, (context, configurator) =>
            {
                // This overload skips the host's ConfigureEndpoints callbacks (among them the `#` binding to
                // eventhub.events an IHubEvent consumer needs): applied here as ConfigureEndpoints would.
                context.GetConfigureReceiveEndpoints().Configure(name, configurator);
                configurator.ConfigureConsumer<LiveFeedConsumer>(context);
            });
            ready = _handle.Ready;
        }
        else
        {
            ready = _handle.ReceiveEndpoint.Start(cancellationToken).Ready;
        }

        try
        {
            await ready.WaitAsync(ReadyLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The live feed's queue was not ready within {Seconds} s; the page stays open and shows events once it is", ReadyLimit.TotalSeconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The live feed's queue did not start ({Error}); the page stays open and shows events once it does", e.GetType().Name);
        }
    }

    async Task UnwatchAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (--_watchers == 0)
                await StopAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task StopAsync()
    {
        if (_handle is null)
            return;
        try
        {
            await _handle.ReceiveEndpoint.Stop();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("The live feed's queue could not be stopped ({Error}); it is stopped with the bus", e.GetType().Name);
        }
    }

    sealed class Lease(LiveFeedBinding binding) : IAsyncDisposable
    {
        int _disposed;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? new ValueTask(binding.UnwatchAsync()) : ValueTask.CompletedTask;
    }
}
