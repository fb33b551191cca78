using EventHub.Storage;
using EventHub.Listeners.Delivery;
using MassTransit;

namespace EventHub.Listeners.Pull;

/// <summary>
/// Settles an acknowledgement whichever copy it reached: on a stream of this copy, else at the copy that holds the event
/// (asked over the broker), so a client behind a load balancer needs no affinity. See docs/adr/0024.
/// </summary>
internal sealed class PullAcknowledgements(PullStreams streams, DeliveryStore store, IClientFactory clients, TimeProvider time)
{
    // The holder answers once the outcome is stored (one or two database writes); beyond this no copy is taken to hold it.
    static readonly TimeSpan HolderLimit = TimeSpan.FromSeconds(10);

    public async Task<AcknowledgementOutcome> SettleAsync(SettlePullEvent acknowledgement, CancellationToken cancellationToken)
    {
        var (listenerId, eventId) = (acknowledgement.ListenerId, acknowledgement.EventId);
        if (await streams.SettleHereAsync(listenerId, eventId, acknowledgement.Succeeded, acknowledgement.Output, acknowledgement.Error, cancellationToken) is { } here)
            return here ? AcknowledgementOutcome.Recorded : AcknowledgementOutcome.NotRecorded;

        // The database says at once whether asking the other copies can help: an unknown or settled delivery needs no wait.
        switch (await store.MayBeInFlightAsync(listenerId, eventId, UnixMicros.From(time.GetUtcNow()), cancellationToken))
        {
            case null:
                return AcknowledgementOutcome.Unknown;
            case false:
                return AcknowledgementOutcome.NotAwaiting;
        }

        try
        {
            var client = clients.CreateRequestClient<SettlePullEvent>(RequestTimeout.After(s: (int)HolderLimit.TotalSeconds));
            var answer = await client.GetResponse<PullEventSettled>(acknowledgement, cancellationToken);
            return answer.Message.Recorded ? AcknowledgementOutcome.Recorded : AcknowledgementOutcome.NotRecorded;
        }
        catch (RequestTimeoutException)
        {
            return AcknowledgementOutcome.NotAwaiting;
        }
    }
}

internal enum AcknowledgementOutcome
{
    Recorded,
    NotRecorded,
    NotAwaiting,
    Unknown,
}
