using EventHub.Access;
using EventHub.Contracts.Listeners;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Health;
using EventHub.Listeners.Queues;
using EventHub.Storage;

namespace EventHub.Listeners.Registry;

/// <summary>The dashboard's resume and dead-letter replay, in process, with the API's ownership rule (<see cref="ListenerAccess.MayUse"/>).</summary>
internal sealed class ListenerActions(ListenerStore store, DeliveryStore deliveries, ListenerHealth health, ListenerQueues endpoints, ApiKeys keys, TimeProvider time) : IListenerActions
{
    public async Task<ListenerActionOutcome> ResumeAsync(string listenerId, string keyName, CancellationToken cancellationToken)
    {
        if (await store.FindUsableAsync(listenerId, keys.Named(keyName), cancellationToken) is not { } listener)
            return ListenerActionOutcome.NotFound;
        if (!await health.ResumeAsync(listener, cancellationToken))
            return ListenerActionOutcome.Refused;
        await endpoints.SyncAsync(cancellationToken);
        return ListenerActionOutcome.Done;
    }

    public async Task<int?> ReplayDeadLettersAsync(string listenerId, IReadOnlyCollection<string> eventIds, string keyName, CancellationToken cancellationToken) =>
        await store.FindUsableAsync(listenerId, keys.Named(keyName), cancellationToken) is null
            ? null
            : await deliveries.ReplayAsync(listenerId, eventIds, UnixMicros.From(time.GetUtcNow()), cancellationToken);
}
