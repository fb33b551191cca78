using System.Text.Json;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Registry;
using Microsoft.AspNetCore.Http;
using EventHub.Storage;

namespace EventHub.Listeners.Transactions;

/// <summary>A listener's transactions: <c>/v1/listeners/{id}/transactions</c>, its dead letters and their replay.</summary>
internal static class TransactionsApi
{
    public static async Task<IResult> TransactionsAsync(string id, string? state, string? after, int? limit, HttpContext context, ListenerStore store, DeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if ((await store.FindOwnedAsync(id, context, cancellationToken)).Refusal is { } refusal)
            return refusal;
        if (state is not null && !DeliveryStates.All.Contains(state))
            return ListenersApi.Invalid(new() { ["state"] = [$"must be one of {string.Join(", ", DeliveryStates.All)}"] });
        if (limit is < 1 or > 1000)
            return ListenersApi.Invalid(new() { ["limit"] = ["must be from 1 to 1000"] });

        var items = await TransactionPages.ReadAsync(deliveries, id, state, after, limit ?? 100, cancellationToken);
        return Results.Ok(new { items, next = items.Count == (limit ?? 100) ? items[^1].EventId : null });
    }

    public static Task<IResult> DeadLettersAsync(string id, string? after, int? limit, HttpContext context, ListenerStore store, DeliveryStore deliveries, CancellationToken cancellationToken) =>
        TransactionsAsync(id, DeliveryStates.Dead, after, limit, context, store, deliveries, cancellationToken);

    public static async Task<IResult> ReplayAsync(string id, HttpRequest request, ListenerStore store, DeliveryStore deliveries, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((await store.FindOwnedAsync(id, request.HttpContext, cancellationToken)).Refusal is { } refusal)
            return refusal;

        var selection = DeadLetterSelection.All;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            if (await RequestJson.ReadAsync(request, cancellationToken) is not { } bytes)
                return RequestJson.TooLarge();
            try
            {
                using var document = JsonDocument.Parse(bytes);
                var errors = new Dictionary<string, string[]>();
                if (DeadLetterSelection.Parse(document.RootElement, errors) is not { } parsed)
                    return ListenersApi.Invalid(errors);
                selection = parsed;
            }
            catch (JsonException e)
            {
                return ListenersApi.Invalid(new() { ["body"] = [$"is not valid JSON ({e.Message})"] });
            }
        }

        var eventIds = selection.ByIdsOnly ? selection.EventIds : await SelectAsync(id, selection, deliveries, cancellationToken);
        if (eventIds is { Count: 0 })
            return Results.Ok(new { replayed = 0 });
        var replayed = await deliveries.ReplayAsync(id, eventIds, UnixMicros.From(time.GetUtcNow()), cancellationToken);
        return Results.Ok(new { replayed });
    }

    /// <summary>The dead letters the selection takes, read a page at a time (names and times are matched here, not in SQL).</summary>
    static async Task<IReadOnlyCollection<string>> SelectAsync(string listenerId, DeadLetterSelection selection, DeliveryStore deliveries, CancellationToken cancellationToken)
    {
        const int Page = 1000;
        var selected = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await deliveries.ListAsync(listenerId, DeliveryStates.Dead, after, Page, cancellationToken);
            selected.AddRange(page.Where(selection.Matches).Select(r => r.EventId));
            if (page.Count < Page)
                return selected;
            after = page[^1].EventId;
        }
    }
}
