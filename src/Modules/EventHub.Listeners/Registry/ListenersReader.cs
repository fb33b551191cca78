using EventHub.Access;
using EventHub.Contracts.Listeners;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Transactions;

namespace EventHub.Listeners.Registry;

/// <summary>
/// Listeners for the dashboard, read in process for a key by name with the API's rule (<see cref="ListenerAccess.MayUse"/>):
/// a key removed since its login, or another key's listener, reads as nothing.
/// </summary>
internal sealed class ListenersReader(ListenerStore store, DeliveryStore deliveries, IListenerTransport transport, ApiKeys keys) : IListenersReader
{
    /// <summary>The queue depth is an extra: a broker that does not answer must not hold a page that reads the database.</summary>
    static readonly TimeSpan DepthLimit = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<ListenerDetails>> ListAsync(string keyName, CancellationToken cancellationToken)
    {
        if (keys.Named(keyName) is not { } key)
            return [];
        var details = new List<ListenerDetails>();
        foreach (var listener in (await store.ListAsync(cancellationToken)).Where(key.MayUse))
            details.Add(await DetailsAsync(listener, cancellationToken));
        return details;
    }

    public async Task<ListenerDetails?> FindAsync(string listenerId, string keyName, CancellationToken cancellationToken) =>
        await store.FindUsableAsync(listenerId, keys.Named(keyName), cancellationToken) is { } listener ? await DetailsAsync(listener, cancellationToken) : null;

    public async Task<IReadOnlyList<ListenerTransaction>> TransactionsAsync(string listenerId, string? state, int limit, string keyName, CancellationToken cancellationToken) =>
        await store.FindUsableAsync(listenerId, keys.Named(keyName), cancellationToken) is null
            ? []
            : await TransactionPages.ReadAsync(deliveries, listenerId, state, null, Math.Clamp(limit, 1, 1000), cancellationToken);


    async Task<ListenerDetails> DetailsAsync(Listener listener, CancellationToken cancellationToken) => new()
    {
        Id = listener.Id,
        Name = listener.Name,
        Platform = listener.Platform,
        Label = listener.Label,
        Patterns = listener.Patterns,
        DeliveryType = listener.DeliveryType,
        Url = listener.Url,
        State = listener.State,
        Filter = listener.Filter?.Json,
        Filtered = listener.Filtered,
        Redact = listener.Redact?.Json,
        Health = listener.Health is { } health ? new ListenerHealthDetails(health.FailingSince, health.FailedEvents, health.LastError, health.PausedAt) : null,
        QueueDepth = await DepthAsync(listener, cancellationToken),
        Transactions = await deliveries.CountByStateAsync(listener.Id, cancellationToken),
    };

    async Task<long?> DepthAsync(Listener listener, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(DepthLimit);
        try
        {
            return await transport.GetDepthAsync(listener.QueueName, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
