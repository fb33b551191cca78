namespace EventHub.LoadTest;

/// <summary>One queue's messages: ready, delivered but not yet acknowledged (null when not readable), and its consumers.</summary>
internal sealed record QueueState(string Name, long Ready, long? Unacked, int? Consumers)
{
    public override string ToString() => Unacked is { } unacked ? $"{Name} {Ready:N0}+{unacked:N0}" : $"{Name} {Ready:N0} ready";
}
