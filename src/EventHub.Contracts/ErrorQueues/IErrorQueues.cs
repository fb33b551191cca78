namespace EventHub.Contracts.ErrorQueues;

/// <summary>
/// The hub's own consumers' <c>_error</c> queues, in process: implemented by the host on RabbitMQ (absent in memory,
/// whose error queues cannot be read). Whole events of every source are in them: only <c>admin</c> keys may use this.
/// </summary>
public interface IErrorQueues
{
    /// <summary>Every error queue of this copy's endpoints, with up to <paramref name="peek"/> messages each.</summary>
    Task<IReadOnlyList<ErrorQueue>> ListAsync(int peek, CancellationToken cancellationToken);

    /// <summary>Moves the given messages (all when null) back to their queue; null when the name is not one of the hub's error queues.</summary>
    Task<ErrorQueueReplay?> ReplayAsync(string errorQueue, IReadOnlySet<string>? messageIds, CancellationToken cancellationToken);
}
