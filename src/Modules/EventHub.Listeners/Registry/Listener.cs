namespace EventHub.Listeners.Registry;

/// <summary>A registered listener: which event names it wants and where they go.</summary>
internal sealed record Listener(
    string Id,
    string Key,
    string Name,
    string? Platform,
    string? Label,
    IReadOnlyList<string> Patterns,
    string DeliveryType,
    string? Url,
    string Secret,
    int TimeoutSeconds,
    IReadOnlyList<int> RetryScheduleSeconds,
    string State,
    long Version)
{
    /// <summary>The secret before the last rotation, still signing alongside <see cref="Secret"/> until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSecret { get; init; }

    public DateTimeOffset? PreviousSecretUntil { get; init; }

    /// <summary>The name of the key that registered it (null: registered before owners were recorded, so only admin keys may use it).</summary>
    public string? Owner { get; init; }

    public const string Webhook = "webhook";
    public const string Pull = "pull";
    public const string Active = "active";
    public const string Disabled = "disabled";

    /// <summary>The durable queue this listener's events wait in.</summary>
    public string QueueName => $"eventhub.listener.{Id}";

    public int MaxAttempts => RetryScheduleSeconds.Count + 1;
}
