namespace EventHub.Security.Detection;

/// <summary>
/// The sliding-window state shared by the burst detections, stored inside their saga instances. Auth0 does not promise
/// order, so windows are measured on each entry's own date, duplicates (same log_id) count once, and an entry up to one
/// window older than the newest one is still counted; older ones are ignored.
/// An episode is alerted once. It ends with a successful login after the alerted window (brute force), or when no failure
/// came for a whole window after its newest one; the next burst is a new episode with a new alert. Attempts that arrive
/// while an episode is alerted only move its end: they are not kept.
/// </summary>
internal sealed class Burst
{
    // A flood against one key must not grow the stored state without bound; this is far above any useful threshold.
    const int MaxAttempts = 2_000;

    public List<Attempt> Attempts { get; set; } = [];

    /// <summary>Date of the newest successful login: failures up to it belong to a finished episode.</summary>
    public DateTimeOffset? ResetAt { get; set; }

    public int Episode { get; set; }

    public BurstAlert? Alert { get; set; }

    /// <summary>Date of the newest failure of the alerted episode.</summary>
    public DateTimeOffset? EpisodeLast { get; set; }

    /// <summary>
    /// Records a failure; returns the alert to raise, if any. When <paramref name="attempt"/> is the alert's own trigger
    /// coming back after a failure (<paramref name="redelivered"/>: the broker redelivered it unacknowledged), the
    /// stored alert is raised again, same id and content: its publish may have been lost after the state was saved.
    /// A plain resend of the trigger (Auth0 sending a batch again) raises nothing.
    /// </summary>
    public BurstAlert? Record(Attempt attempt, BurstRule rule, Func<int, Attempt, string> alertId, bool redelivered = false)
    {
        if (ResetAt is { } reset && attempt.At <= reset)
            return null;
        if (Attempts.Any(a => a.LogId == attempt.LogId))
            return redelivered && Alert is { } raised && raised.TriggerLogId == attempt.LogId ? raised : null;
        if (Attempts.Count > 0 && attempt.At < Attempts[^1].At - rule.Window - rule.Window)
            return null;

        if (Alert is not null && EpisodeLast is { } last && attempt.At > last + rule.Window)
        {
            Attempts.RemoveAll(a => a.At <= last);
            EndEpisode();
        }

        // An alerted episode only needs its newest date to know when it ends: storing its attempts is what let a flood
        // grow one key's state to 64 KB (docs/adr/0006), and none of them could change the alert.
        if (Alert is not null)
        {
            EpisodeLast = EpisodeLast > attempt.At ? EpisodeLast : attempt.At;
            return null;
        }

        Insert(attempt);
        DropCovered(attempt, rule.Window);
        var newest = Attempts[^1].At;
        Attempts.RemoveAll(a => a.At < newest - rule.Window - rule.Window);
        if (Attempts.Count > MaxAttempts)
            Attempts.RemoveRange(0, Attempts.Count - MaxAttempts);
        return Evaluate(rule, alertId, attempt);
    }

    /// <summary>A successful login at <paramref name="at"/>: failures up to it no longer count; an alert whose window ended before it ends its episode.</summary>
    public BurstAlert? Reset(DateTimeOffset at, BurstRule rule, Func<int, Attempt, string> alertId)
    {
        if (ResetAt >= at)
            return null;
        ResetAt = at;
        Attempts.RemoveAll(a => a.At <= at);
        // An alert whose window reaches past the success already covered the failures after it (they arrived first).
        if (Alert is null || Alert.Window[^1].At > at)
            return null;
        EndEpisode();
        return Attempts.Count == 0 ? null : Evaluate(rule, alertId, Attempts[^1]);
    }

    void EndEpisode()
    {
        Alert = null;
        EpisodeLast = null;
        Episode++;
    }

    BurstAlert? Evaluate(BurstRule rule, Func<int, Attempt, string> alertId, Attempt trigger)
    {
        var window = FindWindow(Attempts, rule);
        if (window is null)
            return null;
        Alert = new BurstAlert(alertId(Episode, trigger), trigger.LogId, window);
        EpisodeLast = Attempts[^1].At;
        return Alert;
    }

    void Insert(Attempt attempt)
    {
        var index = Attempts.FindLastIndex(a => a.At <= attempt.At) + 1;
        Attempts.Insert(index, attempt);
    }

    /// <summary>
    /// Drops the older attempts of <paramref name="attempt"/>'s subject that have one of that subject on each side within
    /// the window: a window that holds such an attempt holds one of its neighbours too, so no window's count of distinct
    /// subjects changes. Without it a group that counts a few values over days (value_count over <c>1d</c>) kept up to
    /// <see cref="MaxAttempts"/> attempts, loaded and saved with every batch: most of the evaluate-rules consumer's time
    /// (docs/benchmarks.md). The newest attempt stays, so a trigger is always kept for its redelivery.
    /// </summary>
    void DropCovered(Attempt attempt, TimeSpan window)
    {
        var same = Attempts.FindAll(a => a.Subject == attempt.Subject);
        for (var i = 1; i + 1 < same.Count;)
        {
            if (!ReferenceEquals(same[i], attempt) && same[i + 1].At - same[i - 1].At <= window)
            {
                Attempts.Remove(same[i]);
                same.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>The earliest run of attempts (sorted by date) spanning at most the window with enough distinct subjects.</summary>
    internal static List<Attempt>? FindWindow(List<Attempt> sorted, BurstRule rule)
    {
        var subjects = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = 0;
        for (var end = 0; end < sorted.Count; end++)
        {
            subjects[sorted[end].Subject] = subjects.GetValueOrDefault(sorted[end].Subject) + 1;
            while (sorted[end].At - sorted[start].At > rule.Window)
            {
                var subject = sorted[start].Subject;
                if (--subjects[subject] == 0)
                    subjects.Remove(subject);
                start++;
            }

            if (subjects.Count >= rule.Threshold)
                return sorted.GetRange(start, end - start + 1);
        }

        return null;
    }
}
