using System.Text.Json;
using EventHub.Contracts.Events;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Filters;
using EventHub.Listeners.Registry;
using EventHub.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Replays;

/// <summary>
/// Runs replay jobs on every copy: takes a job no live copy holds, pages the event log from the job's cursor through
/// the same delivery path as live events, records each page with the cursor, and renews its lease meanwhile. A copy
/// that dies stops renewing, and another takes the job over from its last recorded page (so a page may be delivered
/// twice: delivery is at least once, and receivers de-duplicate on webhook-id).
/// </summary>
internal sealed class ReplayJobRunner(
    ReplayJobStore jobs,
    ListenerStore listeners,
    IEventLogReader log,
    Deliverer deliverer,
    IOptions<ListenersOptions> options,
    Database database,
    TimeProvider time,
    ILogger<ReplayJobRunner> logger) : BackgroundService
{
    const int PageSize = 20;
    const int MaxJobsPerCopy = 4;

    readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    readonly SemaphoreSlim _wake = new(0, 1);
    int _running;

    TimeSpan Lease => options.Value.ReplayLease;

    /// <summary>Looks for jobs now rather than at the next poll: one was just created.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Status.WaitUntilReadyAsync(stoppingToken);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (Volatile.Read(ref _running) < MaxJobsPerCopy && await jobs.ClaimAsync(_holder, Now(), Micros(Lease), stoppingToken) is { } job)
                {
                    logger.LogInformation("Running replay job {JobId} of listener {ListenerId} from position {Cursor}", job.Id, job.ListenerId, job.Cursor);
                    Interlocked.Increment(ref _running);
                    running.Add(Task.Run(() => RunAsync(job, stoppingToken), CancellationToken.None));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Looking for replay jobs failed ({Error}); looking again shortly", e.GetType().Name);
            }

            running.RemoveAll(t => t.IsCompleted);
            // A job whose copy died is free once its lease has run out: look a few times a lease.
            await _wake.WaitAsync(Lease / 3, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await Task.WhenAll(running);
    }

    async Task RunAsync(ReplayJob job, CancellationToken stoppingToken)
    {
        using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewing = RenewAsync(job.Id, held);
        try
        {
            await ReplayAsync(job, held.Token);
        }
        catch (OperationCanceledException) when (held.IsCancellationRequested)
        {
            // Cancelled, taken over, or this copy is stopping: the job's recorded cursor is where the next holder goes on.
        }
        catch (Exception e)
        {
            logger.LogWarning("Replay job {JobId} of listener {ListenerId} stopped ({Error}); it goes on when its lease runs out", job.Id, job.ListenerId, e.GetType().Name);
        }
        finally
        {
            await held.CancelAsync();
            await renewing;
            Interlocked.Decrement(ref _running);
        }
    }

    async Task ReplayAsync(ReplayJob job, CancellationToken cancellationToken)
    {
        var patterns = JsonSerializer.Deserialize<string[]>(job.Patterns) ?? [];
        var filter = job.Filter is null ? null : PayloadFilter.FromStored(job.Filter);
        var cursor = job.Cursor;
        while (true)
        {
            var listener = await listeners.FindAsync(job.ListenerId, cancellationToken);
            if (listener is null)
            {
                await jobs.FailAsync(job.Id, _holder, "the listener was deleted", Now(), cancellationToken);
                return;
            }

            if (listener.State != Listener.Active)
            {
                // Paused or disabled: given back as it is, and taken again once the listener is active.
                await jobs.RenewAsync(job.Id, _holder, Now(), cancellationToken);
                return;
            }

            var page = await log.ReadAsync(
                new LoggedEventsQuery { Patterns = patterns, Since = UnixMicros.ToTime(job.FromTime), Until = job.ToTime is { } to ? UnixMicros.ToTime(to) : null, After = cursor, Limit = PageSize },
                cancellationToken);
            long matched = 0, delivered = 0, failed = 0, skipped = 0;
            long? position = null;
            foreach (var past in page.Items)
            {
                position = UnixMicros.From(past.OccurredAt);
                if (filter is not null && !filter.Match(past.EventId, past.Name, past.Source, past.OccurredAt, past.Payload).Matches)
                    continue;
                var outcome = await deliverer.DeliverAsync(listener, past, again: job.Kind == ReplayJob.Replay, cancellationToken);
                if (outcome == Deliverer.Unmatched)
                    continue;
                matched++;
                if (outcome == Deliverer.Skipped)
                    skipped++;
                else if (outcome == "succeeded")
                    delivered++;
                else
                    failed++;
            }

            cursor = page.Next ?? cursor;
            var finalState = page.Next is null ? ReplayJobStates.Done : null;
            if (!await jobs.AdvanceAsync(job.Id, _holder, new ReplayProgress(cursor, position, matched, delivered, failed, skipped), finalState, Now(), cancellationToken) || finalState is not null)
            {
                if (finalState is not null)
                    logger.LogInformation("Replay job {JobId} of listener {ListenerId} is done", job.Id, job.ListenerId);
                return;
            }
        }
    }

    /// <summary>Renews the lease a few times a lease; cancels the job's work when it was cancelled or taken over.</summary>
    async Task RenewAsync(string id, CancellationTokenSource held)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Lease / 3, time, held.Token);
                bool kept;
                try
                {
                    kept = await jobs.RenewAsync(id, _holder, Micros(Lease), held.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database is away: the job's own writes fail too; keep trying while the lease lasts.
                    continue;
                }

                if (!kept)
                {
                    await held.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended.
        }
    }

    long Now() => UnixMicros.From(time.GetUtcNow());

    long Micros(TimeSpan fromNow) => UnixMicros.From(time.GetUtcNow() + fromNow);
}
