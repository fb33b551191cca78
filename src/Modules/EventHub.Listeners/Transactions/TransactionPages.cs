using EventHub.Contracts.Listeners;
using EventHub.Listeners.Delivery;
using EventHub.Storage;

namespace EventHub.Listeners.Transactions;

/// <summary>A page of a listener's transactions with their attempts: what the API answers and the dashboard shows.</summary>
internal static class TransactionPages
{
    public static async Task<IReadOnlyList<ListenerTransaction>> ReadAsync(DeliveryStore deliveries, string listenerId, string? state, string? after, int limit, CancellationToken cancellationToken)
    {
        var records = await deliveries.ListAsync(listenerId, state, after, limit, cancellationToken);
        var attempts = (await deliveries.AttemptsAsync(listenerId, [.. records.Select(r => r.EventId)], cancellationToken)).ToLookup(a => a.EventId);
        return
        [
            .. records.Select(r => new ListenerTransaction
            {
                EventId = r.EventId,
                Name = r.EventName,
                State = r.State,
                Attempts = r.Attempts,
                NextAttemptAt = r.NextAttemptAt is { } next ? UnixMicros.ToTime(next) : null,
                StatusCode = r.LastStatus,
                Error = r.LastError,
                Output = r.Output,
                History = [.. attempts[r.EventId].Select(a => new TransactionAttempt(a.Attempt, UnixMicros.ToTime(a.At), a.StatusCode, a.DurationMs, a.Error, a.Replay == 1))],
            }),
        ];
    }
}
