namespace EventHub.Contracts.Listeners;

/// <summary>A listener as <c>GET /v1/listeners/{id}</c> shows it, without its secret.</summary>
public sealed record ListenerDetails
{
    /// <summary>The listener's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Its platform, if given.</summary>
    public string? Platform { get; init; }

    /// <summary>Its label, if given.</summary>
    public string? Label { get; init; }

    /// <summary>The topic patterns of the events it receives.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>webhook or pull.</summary>
    public string DeliveryType { get; init; } = "";

    /// <summary>The webhook's URL; null for pull.</summary>
    public string? Url { get; init; }

    /// <summary>active, paused or disabled.</summary>
    public string State { get; init; } = "";

    /// <summary>The payload filter as JSON, or null.</summary>
    public string? Filter { get; init; }

    /// <summary>Events the filter held back.</summary>
    public long Filtered { get; init; }

    /// <summary>The redaction as JSON, or null.</summary>
    public string? Redact { get; init; }

    /// <summary>Failing deliveries and the pause they caused; null while the listener is healthy.</summary>
    public ListenerHealthDetails? Health { get; init; }

    /// <summary>Messages waiting in its queue; null where the transport cannot say (the broker is away, or in memory).</summary>
    public long? QueueDepth { get; init; }

    /// <summary>Transactions by state.</summary>
    public IReadOnlyDictionary<string, long> Transactions { get; init; } = new Dictionary<string, long>();
}
