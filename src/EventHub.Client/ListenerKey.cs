namespace EventHub.Client;

/// <summary>What identifies a listener registered by <see cref="EventHubClient.OnAsync(string, Func{HubEvent, CancellationToken, Task{object}}, ListenOptions?, CancellationToken)"/>: the pattern, platform, label and transaction key.</summary>
public sealed record ListenerKey
{
    /// <summary>The event name or pattern given to OnAsync, e.g. <c>order.*</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The platform given in <see cref="ListenOptions.Platform"/>.</summary>
    public string? Platform { get; init; }

    /// <summary>The label given in <see cref="ListenOptions.Label"/>.</summary>
    public string? Label { get; init; }

    /// <summary>The transaction key given in <see cref="ListenOptions.TxKey"/>.</summary>
    public string? TxKey { get; init; }

    /// <summary>The listener's name at the hub: the pattern, and the transaction key after a <c>#</c> when there is one.</summary>
    public string ListenerName => TxKey is null ? Name : $"{Name}#{TxKey}";
}
