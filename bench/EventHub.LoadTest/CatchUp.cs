using System.Diagnostics;

namespace EventHub.LoadTest;

/// <summary>
/// When the hub has caught up with what it confirmed: the event log holds at least the rows it had before the phase plus
/// every confirmed event (more when detections raised alerts), and every queue of the hub's consumers (those with a
/// consumer, and always <c>store-events</c> and <c>evaluate-rules</c>) has no message ready and none unacknowledged.
/// The database is read every 100 ms; the queues, once the rows are there, through rabbitmqctl, whose answer takes
/// about half a second: the time reported is when the answer that saw every queue empty came back, never earlier.
/// </summary>
internal static class CatchUp
{
    static readonly string[] HubQueues = ["store-events", "evaluate-rules"];

    public sealed record Result(double? Seconds, long? ExpectedRows, long? Rows, IReadOnlyList<QueueState> Queues, TimeSpan Limit)
    {
        public bool RowsChecked => ExpectedRows is not null;

        public bool UnackedChecked => Queues.All(q => q.Unacked is not null);

        /// <summary>"all queues drained 1.2 s after the run", or what was still behind when the limit was reached.</summary>
        public string Describe()
        {
            var caveats = (RowsChecked ? "" : "; event log rows not checked (database not started here)")
                + (UnackedChecked ? "" : "; unacknowledged messages not checked (broker not started here)");
            if (Seconds is { } s)
                return $"all queues drained {s:F1} s after the run{caveats}";
            var behind = Queues.Where(q => !Drained(q)).Select(q => q.ToString());
            var rows = RowsChecked && Rows < ExpectedRows ? [$"event log {Rows:N0} of {ExpectedRows:N0} rows"] : Array.Empty<string>();
            return $"not caught up {Limit.TotalSeconds:F0} s after the run: {string.Join(", ", rows.Concat(behind))}{caveats}";
        }

        /// <summary>Queues with messages that nobody consumes (a dead-letter queue, a stopped endpoint): reported, not waited for.</summary>
        public IEnumerable<QueueState> Unconsumed => Queues.Where(q => q.Consumers == 0 && !HubQueues.Contains(q.Name) && q.Ready + (q.Unacked ?? 0) > 0);
    }

    /// <summary>The queues the catch-up waits for, as they are now (for a look at the backlog when a phase ends).</summary>
    public static async Task<string> BacklogAsync(HubTarget hub) =>
        await hub.QueuesAsync(HubQueues) is { } queues
            ? string.Join(", ", queues.Where(q => q.Consumers != 0 || HubQueues.Contains(q.Name)))
            : "not read (rabbitmqctl did not answer)";

    public static async Task<Result> WaitAsync(HubTarget hub, long? expectedRows, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        long? rows = null;
        IReadOnlyList<QueueState>? queues = null;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (clock.Elapsed < limit)
        {
            rows = expectedRows is null ? null : await hub.EventLogRowsAsync();
            if (expectedRows is null || rows >= expectedRows)
            {
                queues = await hub.QueuesAsync(HubQueues) ?? queues;
                if (queues is not null && queues.All(Drained))
                    return new Result(clock.Elapsed.TotalSeconds, expectedRows, rows, queues, limit);
            }

            await tick.WaitForNextTickAsync();
        }

        return new Result(null, expectedRows, rows, queues ?? await hub.QueuesAsync(HubQueues) ?? [], limit);
    }

    static bool Drained(QueueState queue) =>
        (queue.Consumers == 0 && !HubQueues.Contains(queue.Name)) || (queue.Ready == 0 && queue.Unacked is null or 0);
}
