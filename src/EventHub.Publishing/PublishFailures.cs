namespace EventHub.Publishing;

/// <summary>
/// How long every confirmed publish of this host has failed, kept apart from <see cref="ConfirmedPublisher"/> so the
/// host's watchdog can read it without depending on the bus (the watchdog is one of the bus's own endpoint observers).
/// </summary>
public sealed class PublishFailures
{
    // Monotonic milliseconds of the first failure since the last confirmed publish; 0 while publishing works.
    long _failingSince;

    /// <summary>Zero when the last publish was confirmed.</summary>
    public TimeSpan FailingFor
    {
        get
        {
            var since = Interlocked.Read(ref _failingSince);
            return since == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Environment.TickCount64 - since);
        }
    }

    internal void Confirmed() => Interlocked.Exchange(ref _failingSince, 0);

    internal void Failed() => Interlocked.CompareExchange(ref _failingSince, Environment.TickCount64, 0);
}
