using EventHub.Composition.Hosting;
using EventHub.Composition.Retry;
using EventHub.Contracts;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Pull;
using EventHub.Listeners.Registry;
using EventHub.Storage;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Queues;

/// <summary>
/// Keeps one receive endpoint running per active webhook listener, on every host copy: it reads the registry at
/// startup and then every sync interval, starting endpoints for new or changed listeners and stopping (and deleting
/// the queues of) removed ones, so a change made through any copy takes effect on all of them within seconds.
/// </summary>
internal sealed class ListenerQueues(
    ListenerStore store,
    IReceiveEndpointConnector connector,
    IListenerTransport transport,
    IServiceProvider services,
    ListenerMetrics metrics,
    PullStreams streams,
    IOptions<ListenersOptions> options,
    IHostApplicationLifetime lifetime,
    BusStarted busStarted,
    Database database,
    TimeProvider time,
    ILogger<ListenerQueues> logger) : LoopEndingBeforeShutdown
{
    const int DeliveryConcurrency = 32;

    readonly Dictionary<string, Running> _running = [];
    readonly SemaphoreSlim _sync = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Endpoints are connected to a running bus: wait until every hosted service has started, and the bus itself
        // (on RabbitMQ, MassTransit's hosted service returns before its bus has started: BusStarted says why that matters).
        await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default);
        await busStarted.Task.WaitAsync(stoppingToken);
        await database.Status.WaitUntilReadyAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.SyncInterval, time);
        do
        {
            try
            {
                await SyncAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Listener sync failed ({Error}); it runs again shortly", e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The listener as this copy runs it, or from the registry when it does not.</summary>
    public async Task<Listener?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_running)
        {
            if (_running.TryGetValue(id, out var running))
                return running.Listener;
        }

        return await store.FindAsync(id, cancellationToken);
    }

    /// <summary>
    /// Brings this copy in line with the registry. MassTransit keeps a connected endpoint's name for the life of the
    /// bus, so an endpoint is never connected twice: a changed listener keeps its endpoint (the handler reads the
    /// current listener, bindings are moved), a disabled one is stopped and started again if re-enabled.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            var registered = (await store.ListAsync(cancellationToken)).ToDictionary(l => l.Id);
            foreach (var (id, running) in _running.ToList())
            {
                if (registered.ContainsKey(id))
                    continue;
                if (running.Started)
                    await running.Handle.ReceiveEndpoint.Stop(cancellationToken);
                lock (_running)
                    _running.Remove(id);
                streams.CloseAll(id);
                await transport.DeleteQueueAsync(running.Listener.QueueName, cancellationToken);
                metrics.QueueDepth(id, null);
                logger.LogInformation("Stopped delivery for deregistered listener {ListenerId}", id);
            }

            foreach (var listener in registered.Values)
            {
                // A pull listener's endpoint consumes only while a stream of this copy can take what it consumes.
                var wanted = listener.State == Listener.Active && (listener.DeliveryType == Listener.Webhook || streams.HasStreams(listener.Id));
                if (!_running.TryGetValue(listener.Id, out var running))
                {
                    // Connected once even when not wanted yet: that declares the queue (and its bindings), so a pull
                    // listener's events wait in it from registration on; it is stopped again just below.
                    if (!wanted && listener.DeliveryType == Listener.Webhook)
                        continue;
                    running = await StartAsync(listener, cancellationToken);
                }

                if (running.Listener.Version != listener.Version)
                {
                    if (!running.Listener.Patterns.SequenceEqual(listener.Patterns))
                        await transport.UpdateBindingsAsync(listener.QueueName, running.Listener.Patterns, listener.Patterns, cancellationToken);
                    running.Listener = listener;
                }

                if (wanted && !running.Started)
                {
                    await running.Handle.ReceiveEndpoint.Start(cancellationToken).Ready;
                    running.Started = true;
                }

                if (running.Started)
                    metrics.QueueDepth(listener.Id, await transport.GetDepthAsync(listener.QueueName, cancellationToken));

                if (!wanted && running.Started)
                {
                    await running.Handle.ReceiveEndpoint.Stop(cancellationToken);
                    running.Started = false;
                    if (listener.State != Listener.Active)
                        logger.LogInformation("Stopped delivery for {State} listener {ListenerId}", listener.State, listener.Id);
                }
            }
        }
        finally
        {
            _sync.Release();
        }
    }

    async Task<Running> StartAsync(Listener listener, CancellationToken cancellationToken)
    {
        var deliverer = (Deliverer)services.GetService(typeof(Deliverer))!;
        Running? running = null;
        var handle = connector.ConnectReceiveEndpoint(listener.QueueName, (_, endpoint) =>
        {
            transport.ConfigureEndpoint(endpoint, listener.Patterns);
            // The handler throws only when the database is unreachable: a failed webhook is a recorded outcome, not an
            // exception. A short retry moved every event of a database outage to the listener's _error queue, where nothing
            // delivers it (a fault test lost 580 of 3,000 that way).
            RetryPolicies.Use(endpoint, RetryPolicies.From(services).ListenerDelivery);
            if (listener.DeliveryType == Listener.Pull)
            {
                // Bounded: at most this many events of the listener are unacknowledged on this copy at a time.
                endpoint.PrefetchCount = options.Value.PullPrefetch;
                endpoint.ConcurrentMessageLimit = options.Value.PullPrefetch;
            }
            else
            {
                // A delivery waits on the database and the receiver, not on a CPU: MassTransit's default concurrency
                // (twice the cores, at most 16; 4 on a 2-core host) capped a listener at a few hundred webhooks a second
                // and let a 1,000/s stream queue up for seconds (docs/adr/0006).
                endpoint.PrefetchCount = DeliveryConcurrency * 2;
                endpoint.ConcurrentMessageLimit = DeliveryConcurrency;
            }

            endpoint.Handler<IHubEvent>(context => deliverer.OnEventAsync(running!.Listener, context.Message, context.CancellationToken));
        });
        running = new Running(listener, handle);
        lock (_running)
            _running[listener.Id] = running;
        logger.LogInformation("Delivering to listener {ListenerId} from queue {Queue}", listener.Id, listener.QueueName);
        await handle.Ready.WaitAsync(cancellationToken);
        return running;
    }

    sealed class Running(Listener listener, HostReceiveEndpointHandle handle)
    {
        public Listener Listener { get; set; } = listener;

        public HostReceiveEndpointHandle Handle { get; } = handle;

        public bool Started { get; set; } = true;
    }

    /// <summary>
    /// The sync loop has ended by now (<see cref="LoopEndingBeforeShutdown"/>: a sync stopping a listener's endpoint
    /// while the bus stopped all of them raced MassTransit's own stop); what it left running is stopped here.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var running in _running.Values.Where(r => r.Started))
            await running.Handle.ReceiveEndpoint.Stop(cancellationToken);
    }
}
