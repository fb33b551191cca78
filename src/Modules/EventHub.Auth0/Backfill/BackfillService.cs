using EventHub.Composition.Switches;
using EventHub.Storage;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Auth0.Backfill;

/// <summary>
/// Pulls at startup, then every interval (Gaps: minutes, Poll: seconds), and when asked through the API. Every copy of
/// the host runs this loop; the database lease lets one of them pull at a time, so no page is fetched twice.
/// </summary>
internal sealed class BackfillService(
    BackfillStore store,
    BackfillRunner runner,
    IOptions<Auth0Options> options,
    HubSwitches switches,
    IBusControl bus,
    IHostApplicationLifetime lifetime,
    Database database,
    TimeProvider time,
    ILogger<BackfillService> logger) : BackgroundService
{
    static readonly TimeSpan KnownLogsKept = TimeSpan.FromDays(31);
    const int MaxRunsPerPass = 10;

    readonly SemaphoreSlim _wake = new(0, 1);
    readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Runs a pass now rather than at the next interval (a request was stored).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: one pass serves every request stored before it starts.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken serviceStopping)
    {
        // The bus stops before this service does (hosted services stop in reverse order): stop pulling as soon as the
        // application starts to stop, rather than fail a page on a stopped bus.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(serviceStopping, lifetime.ApplicationStopping);
        var stoppingToken = stopping.Token;
        if (!await WaitForStartAsync(stoppingToken))
            return;

        var settings = options.Value;
        var tenant = BackfillSettings.Tenant(settings);
        var interval = switches.Backfill == BackfillMode.Poll ? settings.Backfill.PollInterval : settings.Backfill.GapsInterval;
        logger.LogInformation("Auth0 backfill {Mode} for tenant {Tenant} from {BaseAddress}, every {Interval}", switches.Backfill, tenant, BackfillSettings.BaseAddress(settings), interval);
        var trigger = "startup";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(tenant, trigger, settings.Backfill.InitialLookback, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Auth0 backfill pass failed ({Error}); it runs again in {Interval}", e.GetType().Name, interval);
            }

            trigger = switches.Backfill == BackfillMode.Poll ? "poll" : "schedule";
            try
            {
                await _wake.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    async Task PassAsync(string tenant, string trigger, TimeSpan lookback, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await store.TryAcquireLeaseAsync(tenant, _holder, UnixMicros.From(now), UnixMicros.From(now + BackfillRunner.Lease), cancellationToken))
            return;
        try
        {
            // The scheduled run first, then whatever was requested, also while it ran, before the lease is given up.
            for (var run = 0; run < MaxRunsPerPass; run++)
            {
                var row = await store.GetAsync(tenant, cancellationToken);
                string from;
                var runTrigger = trigger;
                if (row?.RequestedFrom is { } requested && row.RequestedAt is { } requestedAt)
                {
                    from = requested;
                    runTrigger = "request";
                    await store.ClearRequestAsync(tenant, requestedAt, cancellationToken);
                }
                else if (run > 0)
                {
                    break;
                }
                else
                {
                    from = row?.Checkpoint ?? LogIds.FromTime(time.GetUtcNow() - lookback);
                }

                if (!await runner.RunAsync(tenant, _holder, from, runTrigger, cancellationToken))
                    return;
            }

            await store.PruneKnownAsync(UnixMicros.From(time.GetUtcNow() - KnownLogsKept), cancellationToken);
        }
        finally
        {
            await store.ReleaseLeaseAsync(tenant, _holder, CancellationToken.None);
        }
    }

    /// <summary>Waits until the host has started, the schema is in place and the bus is up, so the first pull can publish.</summary>
    async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
                await database.Status.WaitUntilReadyAsync(stoppingToken);
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
                for (var i = 0; i < 60 && bus.CheckHealth().Status != BusHealthStatus.Healthy; i++)
                    await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }
}
