namespace EventHub.FaultTests;

/// <summary>What a sender saw of an outage: from a post's failure (<see cref="Start"/>, on the run's clock) to the 2xx of the same batch.</summary>
internal sealed record RefusedSpell(TimeSpan Start, TimeSpan Duration, int FailedPosts)
{
    public override string ToString() => $"{Start.TotalSeconds:F1} s: {Duration.TotalSeconds:F2} s, {FailedPosts} posts refused";
}
