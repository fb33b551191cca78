using EventHub.Storage;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventHub.Listeners.Replays;

/// <summary>A replay job as the API shows it.</summary>
internal static class ReplayJobJson
{
    public static object Of(ReplayJob job) => new
    {
        id = job.Id,
        listenerId = job.ListenerId,
        kind = job.Kind,
        state = job.State,
        from = UnixMicros.ToTime(job.FromTime),
        to = job.ToTime is { } to ? UnixMicros.ToTime(to) : (DateTimeOffset?)null,
        events = JsonSerializer.Deserialize<string[]>(job.Patterns),
        filter = job.Filter is null ? null : JsonNode.Parse(job.Filter),
        matched = job.Matched,
        delivered = job.Delivered,
        failed = job.Failed,
        skipped = job.Skipped,
        progress = Progress(job),
        error = job.Error,
        createdAt = UnixMicros.ToTime(job.CreatedAt),
        finishedAt = job.FinishedAt is { } finished ? UnixMicros.ToTime(finished) : (DateTimeOffset?)null,
    };

    /// <summary>
    /// How far through its time range the job is, from 0 to 1: the log is read in the order events arrived, which
    /// follows their times closely enough for a progress bar; the total is not known before the end.
    /// </summary>
    static double Progress(ReplayJob job)
    {
        if (job.State == ReplayJobStates.Done)
            return 1;
        if (job.PositionTime is not { } position)
            return 0;
        var end = job.ToTime ?? job.CreatedAt;
        return end <= job.FromTime ? 0 : Math.Round(Math.Clamp((double)(position - job.FromTime) / (end - job.FromTime), 0, 1), 3);
    }
}
