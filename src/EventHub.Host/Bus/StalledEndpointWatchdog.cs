using System.Collections.Concurrent;
using EventHub.Composition.Hosting;
using EventHub.Publishing;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EventHub.Host.Bus;

/// <summary>
/// Restarts a receive endpoint that MassTransit reports running while its queue has had no consumer on the broker (or
/// no queue) for <see cref="StrikesBeforeRestart"/> checks in a row, and stops the copy when publishing is wedged.
/// RabbitMQ.Client 7.2.2 can leave the channels of a connection the broker closed without their shutdown notice;
/// MassTransit reconnects, but what ran on those channels stays on them for good (docs/adr/0011). With several copies
/// the broker counts every copy's consumer, so each endpoint's own activity is watched too (<see cref="EndpointActivity"/>):
/// a copy stalled alone on a queue the others still consume is seen when messages wait there and it takes none.
/// </summary>
internal sealed class StalledEndpointWatchdog(RabbitMqAdminConnection admin, PublishFailures publishFailures, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<StalledEndpointWatchdog> logger)
    : LoopEndingBeforeShutdown, IReceiveEndpointObserver
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);
    // A reconnect MassTransit is running itself reports the endpoint faulted, not ready; three checks leave room for a
    // slow re-subscribe before a restart is called for.
    const int StrikesBeforeRestart = 3;
    static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);
    static readonly TimeSpan WedgedPublishLimit = TimeSpan.FromSeconds(60);
    // EX_SOFTWARE: an internal error, not a bad setting (those exit with 1 before the host starts).
    const int WedgedExitCode = 70;
    static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(5);
    static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    readonly ConcurrentDictionary<Uri, Watched> _running = new();
    readonly ConcurrentDictionary<Uri, EndpointActivity> _activity = new();

    public Task Ready(ReceiveEndpointReady ready)
    {
        if (!ready.IsStarted)
            return Task.CompletedTask;
        // Observed once per endpoint: a restarted endpoint keeps its receive observers.
        var activity = _activity.GetOrAdd(ready.InputAddress, _ =>
        {
            var observer = new EndpointActivity();
            ready.ReceiveEndpoint.ConnectReceiveObserver(observer);
            return observer;
        });
        _running[ready.InputAddress] = new Watched(ready.ReceiveEndpoint, QueueName(ready.InputAddress), activity);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Forget(stopping.InputAddress);

    public Task Completed(ReceiveEndpointCompleted completed) => Forget(completed.InputAddress);

    public Task Faulted(ReceiveEndpointFaulted faulted) => Forget(faulted.InputAddress);

    Task Forget(Uri inputAddress)
    {
        _running.TryRemove(inputAddress, out _);
        return Task.CompletedTask;
    }

    // The checks end before the bus stops (LoopEndingBeforeShutdown): a stopping bus's endpoints have no consumer and
    // look stalled, and a restart then would race MassTransit's own stop of the endpoint.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var restarts = new List<Task>();
            try
            {
                foreach (var (address, watched) in _running.ToArray())
                {
                    if (await CheckAsync(watched.Queue, stoppingToken) is not { } queue)
                        continue;
                    var received = watched.Activity.Received;
                    var stalled = EndpointActivity.LooksStalled(queue.Consumers, queue.Ready, received - watched.LastReceived, watched.Activity.InProgress);
                    watched.LastReceived = received;
                    watched.Strikes = stalled ? watched.Strikes + 1 : 0;
                    if (watched.Strikes >= StrikesBeforeRestart && _running.TryRemove(new KeyValuePair<Uri, Watched>(address, watched)))
                        restarts.Add(RestartAsync(address, watched, stoppingToken));
                }

                await ExitIfPublishesAreWedgedAsync(stoppingToken);
            }
            catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or TimeoutException)
            {
                // The broker itself is away: MassTransit's own reconnect is the remedy, not a restart.
            }

            // Side by side: each stop may wait out its limit on a dead channel.
            await Task.WhenAll(restarts);
        }
    }

    async Task RestartAsync(Uri address, Watched watched, CancellationToken stoppingToken)
    {
        logger.LogWarning(
            "Receive endpoint {Queue} has taken nothing from the broker for {Seconds:F0} s (no consumer, or messages waiting that it is not given) although it reports running: restarting it",
            watched.Queue, (CheckInterval * watched.Strikes).TotalSeconds);
        try
        {
            await StopAsync(watched.Endpoint, stoppingToken);
            await watched.Endpoint.Start(stoppingToken).Ready.WaitAsync(StartLimit, stoppingToken);
            logger.LogInformation("Receive endpoint {Queue} restarted", watched.Queue);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Tried again at the next check; an endpoint that does come up reports ready and is watched afresh.
            _running.TryAdd(address, watched);
            logger.LogError("Receive endpoint {Queue} could not be restarted ({Error}); trying again", watched.Queue, e.GetType().Name);
        }
    }

    /// <summary>
    /// A stop on a dead channel waits for a consumer cancel nobody answers and for acknowledgements that cannot be sent;
    /// given up at the limit it cancels what is pending (those messages go back to the queue), and the next stop finds
    /// the endpoint stopped.
    /// </summary>
    static async Task StopAsync(IReceiveEndpoint endpoint, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            limit.CancelAfter(StopLimit);
            try
            {
                await endpoint.Stop(limit.Token);
                return;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested && attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Publishes that MassTransit keeps on a channel left without its shutdown notice never complete, and MassTransit
    /// offers no way to drop that channel (a bus restart did not bring its endpoints back either). When every publish has
    /// failed for <see cref="WedgedPublishLimit"/> while a publish of this watchdog's own is confirmed (so the broker is
    /// up and not blocking publishers for a resource alarm), the copy stops with a non-zero exit code for its supervisor
    /// to start it again: what was confirmed is on the broker, what was not got a 503 and is sent again.
    /// </summary>
    async Task ExitIfPublishesAreWedgedAsync(CancellationToken stoppingToken)
    {
        var failingFor = publishFailures.FailingFor;
        if (failingFor < WedgedPublishLimit || lifetime.ApplicationStopping.IsCancellationRequested)
            return;
        await using (var channel = await admin.OpenChannelAsync(stoppingToken, publisherConfirms: true))
        {
            // To the default exchange with no such queue: dropped by the broker, confirmed all the same.
            await channel.BasicPublishAsync("", "eventhub.watchdog.probe", mandatory: false, new BasicProperties(), ReadOnlyMemory<byte>.Empty, stoppingToken).AsTask().WaitAsync(ProbeLimit, stoppingToken);
        }

        logger.LogCritical(
            "No publish has been confirmed for {Seconds:F0} s although the broker confirms the watchdog's: the RabbitMQ client is wedged (docs/adr/0011); stopping with exit code {ExitCode} for the supervisor to restart this copy",
            failingFor.TotalSeconds, WedgedExitCode);
        Environment.ExitCode = WedgedExitCode;
        lifetime.StopApplication();
    }

    /// <summary>The queue's consumers (every copy's) and ready messages on the broker; no consumers when it is gone, null when unknown.</summary>
    async Task<QueueState?> CheckAsync(string queue, CancellationToken cancellationToken)
    {
        await using var channel = await admin.OpenChannelAsync(cancellationToken);
        try
        {
            var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return new QueueState(declared.ConsumerCount, declared.MessageCount);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            // A temporary queue goes with the connection that declared it: gone means its consumer's connection died.
            return new QueueState(null, 0);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 405)
        {
            // Exclusive to a live connection of MassTransit's, which another connection may not even look at.
            return null;
        }
    }

    readonly record struct QueueState(uint? Consumers, uint Ready);

    static string QueueName(Uri inputAddress) => inputAddress.AbsolutePath.Split('/')[^1];

    sealed class Watched(IReceiveEndpoint endpoint, string queue, EndpointActivity activity)
    {
        public IReceiveEndpoint Endpoint { get; } = endpoint;

        public string Queue { get; } = queue;

        public EndpointActivity Activity { get; } = activity;

        public long LastReceived { get; set; } = activity.Received;

        public int Strikes { get; set; }
    }
}
