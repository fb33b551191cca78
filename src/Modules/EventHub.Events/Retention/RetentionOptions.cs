namespace EventHub.Events.Retention;

internal sealed class RetentionOptions
{
    public const string Section = "EventHub:Retention";

    /// <summary>Events received longer ago than this are deleted from the event log.</summary>
    public int Days { get; init; } = 30;

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);
}
