namespace EventHub.Security.Rules;

/// <summary>Entries a rule matched and alerts it raised in this host copy since it started (not stored: the event log holds the alerts).</summary>
internal sealed class RuleCounters
{
    long _matches;
    long _alerts;

    public long Matches => Interlocked.Read(ref _matches);

    public long Alerts => Interlocked.Read(ref _alerts);

    public void Matched() => Interlocked.Increment(ref _matches);

    public void Alerted() => Interlocked.Increment(ref _alerts);
}
