namespace EventHub.Contracts.Listeners;

/// <summary>
/// Listeners and their transactions as other modules (the dashboard) read them, in process: implemented by the listeners
/// module and resolved from the host's container (absent when that module is off). Reads are made for a key, by its
/// name, and see what the API shows that key: its own listeners, or every listener for an <c>admin</c> key.
/// </summary>
public interface IListenersReader
{
    /// <summary>The listeners the key may use.</summary>
    Task<IReadOnlyList<ListenerDetails>> ListAsync(string keyName, CancellationToken cancellationToken);

    /// <summary>One listener; null when there is none or it is another key's.</summary>
    Task<ListenerDetails?> FindAsync(string listenerId, string keyName, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> transactions of the listener (of one state, when given), each with its attempts; empty when the key may not use it.</summary>
    Task<IReadOnlyList<ListenerTransaction>> TransactionsAsync(string listenerId, string? state, int limit, string keyName, CancellationToken cancellationToken);
}
