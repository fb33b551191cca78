using EventHub.Listeners.Filters;
using EventHub.Listeners.Redaction;

namespace EventHub.Listeners.Registry;

/// <summary>A validated registration request.</summary>
internal sealed record ListenerRegistration(
    string Name,
    string? Platform,
    string? Label,
    IReadOnlyList<string> Patterns,
    string DeliveryType,
    string? Url,
    string? Secret,
    int TimeoutSeconds,
    IReadOnlyList<int> RetryScheduleSeconds,
    DateTimeOffset? Since = null)
{
    /// <summary>Only events this filter matches are delivered; null delivers every event the patterns match.</summary>
    public PayloadFilter? Filter { get; init; }

    /// <summary>At most this many deliveries a second; null for no limit.</summary>
    public int? RateLimitPerSecond { get; init; }

    /// <summary>What deliveries hide of the payload; null hides nothing.</summary>
    public RedactionRule? Redact { get; init; }

    /// <summary>Platform + label + name, as Buildable keys a listener: registering the same key again updates it.</summary>
    public string Key => $"{Platform ?? ""}|{Label ?? ""}|{Name}";
}
