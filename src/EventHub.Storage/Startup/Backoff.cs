namespace EventHub.Storage.Startup;

/// <summary>
/// Delays between tries of something that is failing (the database away): doubling from <paramref name="first"/> up to
/// <paramref name="max"/>, back to the start after a success. Bounded, so a returning database is used within
/// <paramref name="max"/>; growing, so an absent one costs a connection attempt and a log line only now and then.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan max)
{
    TimeSpan _next;

    public TimeSpan Next()
    {
        var delay = _next == TimeSpan.Zero ? first : _next;
        _next = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, max.Ticks));
        return delay;
    }

    public void Reset() => _next = TimeSpan.Zero;
}
