using EventHub.Listeners.Filters;
using EventHub.Listeners.Redaction;

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

    /// <summary>Only events this filter matches are delivered; the others are acknowledged and counted in <see cref="Filtered"/>.</summary>
    public PayloadFilter? Filter { get; init; }

    /// <summary>What deliveries (and their stored copies) hide of the payload; the event log keeps it whole.</summary>
    public RedactionRule? Redact { get; init; }

    /// <summary>Failing deliveries and the pause they lead to; null while deliveries succeed.</summary>
    public ListenerHealthState? Health { get; init; }

    /// <summary>At most this many deliveries a second, across every copy; null for no limit.</summary>
    public int? RateLimitPerSecond { get; init; }

    /// <summary>Events the patterns matched but the filter did not, since registration.</summary>
    public long Filtered { get; init; }

    public const string Webhook = "webhook";
    public const string Pull = "pull";
    public const string Active = "active";
    public const string Disabled = "disabled";
    public const string Paused = "paused";

    /// <summary>The durable queue this listener's events wait in.</summary>
    public string QueueName => $"eventhub.listener.{Id}";

    public int MaxAttempts => RetryScheduleSeconds.Count + 1;
}

/// <summary>Since when deliveries fail, how many events failed in a row, the last error, and when that paused the listener.</summary>
internal sealed record ListenerHealthState(DateTimeOffset? FailingSince, long FailedEvents, string? LastError, DateTimeOffset? PausedAt);
