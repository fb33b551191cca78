using System.Globalization;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using EventHub.Storage;

namespace EventHub.Auth0.Backfill;

/// <summary>
/// One pull, run by the lease holder: page by page from a log id, following the <c>next</c> link until Auth0 answers an
/// empty page. Each page publishes only the entries nobody has had confirmed yet, waits for the broker's confirms, and
/// only then records those log ids and moves the checkpoint past the page. A failure leaves the checkpoint where the last
/// confirmed page put it; the next run starts there.
/// </summary>
internal sealed class BackfillRunner(
    ManagementApi api,
    BackfillStore store,
    ConfirmedPublisher publisher,
    IngressPacing pacing,
    IOptions<Auth0Options> options,
    TimeProvider time,
    ILogger<BackfillRunner> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Runs to the end of the tenant's log; false when the lease was lost (another copy carries on).</summary>
    public async Task<bool> RunAsync(string tenant, string holder, string from, string trigger, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await store.StartRunAsync(tenant, trigger, from, UnixMicros.From(time.GetUtcNow()), cancellationToken);
        var path = $"api/v2/logs?from={Uri.EscapeDataString(from)}&take={settings.Backfill.PageSize.ToString(CultureInfo.InvariantCulture)}";
        int pages = 0, published = 0;
        try
        {
            while (true)
            {
                await pacing.WaitAsync(auth0Entries: true, cancellationToken);
                var page = await api.GetLogsAsync(path, cancellationToken);
                var (events, lastLogId) = ManagementLogs.Map(page.Body, time.GetUtcNow());
                if (events.Count == 0)
                    break;

                var fresh = await FreshAsync(events, cancellationToken);
                await PublishAsync(fresh, settings.ConfirmTimeout, cancellationToken);
                var now = time.GetUtcNow();
                await store.RecordKnownAsync([.. fresh.Select(e => e.EventId)], "pull", UnixMicros.From(now), cancellationToken);
                if (!await store.CompletePageAsync(tenant, holder, lastLogId, events.Count, fresh.Count, UnixMicros.From(now), UnixMicros.From(now + Lease), cancellationToken))
                {
                    logger.LogWarning("Auth0 backfill of {Tenant} lost its lease after {Pages} pages; another copy carries on", tenant, pages);
                    return false;
                }

                pages++;
                published += fresh.Count;
                // When there is nothing newer Auth0 answers an empty array whose next link repeats the request.
                if (page.Next is null || page.Next == path)
                    break;
                path = page.Next;
            }

            await store.FinishRunAsync(tenant, "done", null, UnixMicros.From(time.GetUtcNow()), cancellationToken);
            if (pages > 0)
                logger.LogInformation("Auth0 backfill of {Tenant} ({Trigger}) read {Pages} pages and published {Published} entries the stream had not delivered", tenant, trigger, pages, published);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e switch
            {
                ManagementApiException or BrokerUnconfirmedException => e.Message,
                JsonException or LogStream.LogStreamFormatException => "GET /api/v2/logs answered JSON that could not be read",
                HttpRequestException => "the Management API could not be reached",
                System.Data.Common.DbException db => $"the database failed ({e.GetType().Name} {db.SqlState})",
                _ => $"unexpected {e.GetType().Name}",
            };
            logger.LogWarning("Auth0 backfill of {Tenant} stopped after {Pages} pages: {Reason}; the checkpoint stays at the last confirmed page", tenant, pages, reason);
            await store.FinishRunAsync(tenant, "failed", reason, UnixMicros.From(time.GetUtcNow()), CancellationToken.None);
            return true;
        }
    }

    /// <summary>The entries of a page that neither the Log Stream nor an earlier pull got confirmed (each once).</summary>
    async Task<List<IHubEvent>> FreshAsync(List<IHubEvent> events, CancellationToken cancellationToken)
    {
        var known = await store.KnownAsync([.. events.Select(e => e.EventId).Distinct(StringComparer.Ordinal)], cancellationToken);
        return [.. events.Where(e => known.Add(e.EventId))];
    }

    async Task PublishAsync(List<IHubEvent> events, TimeSpan confirmTimeout, CancellationToken cancellationToken)
    {
        var confirmation = await publisher.PublishAsync(events, confirmTimeout, cancellationToken);
        if (!confirmation.IsConfirmed)
            throw new BrokerUnconfirmedException($"the page was not published: {confirmation.Refusal}");
    }

}
