namespace EventHub.Dashboard;

internal sealed class UiOptions
{
    public const string Section = "EventHub:Ui";

    /// <summary>How long a login lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>Live feeds (<c>/ui/stream</c>, one per open page) one key may hold open at once on one copy.</summary>
    public int MaxStreamsPerKey { get; init; } = 20;
}
