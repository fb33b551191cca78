namespace EventHub.Client;

/// <summary>A listener as the hub shows it (<c>GET /v1/listeners</c>); never with its secret.</summary>
public sealed record ListenerInfo
{
    /// <summary>The listener's id.</summary>
    public required string Id { get; init; }

    /// <summary>Its name (with platform and label, its key).</summary>
    public required string Name { get; init; }

    /// <summary>The platform it was registered for, if any.</summary>
    public string? Platform { get; init; }

    /// <summary>Its label, if any.</summary>
    public string? Label { get; init; }

    /// <summary>The event names and topic patterns it listens to.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>How it is delivered to.</summary>
    public ListenerDelivery Delivery { get; init; } = new();

    /// <summary><c>active</c>, or another state the hub reports.</summary>
    public string? State { get; init; }

    /// <summary>Its RabbitMQ queue.</summary>
    public string? Queue { get; init; }

    /// <summary>Messages waiting in its queue; only from <see cref="EventHubClient.GetListenerAsync"/>, and null when the transport cannot tell.</summary>
    public long? QueueDepth { get; init; }

    /// <summary>Transactions by state (<c>pending</c>, <c>succeeded</c>, <c>dead</c>, ...); only from <see cref="EventHubClient.GetListenerAsync"/>.</summary>
    public IReadOnlyDictionary<string, long>? Transactions { get; init; }
}

/// <summary>A listener's delivery.</summary>
public sealed record ListenerDelivery
{
    /// <summary><c>webhook</c> or <c>pull</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>The webhook URL; null for pull.</summary>
    public string? Url { get; init; }

    /// <summary>Seconds a delivery may take.</summary>
    public int? TimeoutSeconds { get; init; }
}
