using EventHub.Composition.Switches;
using EventHub.Contracts;
using EventHub.Storage;
using Microsoft.Extensions.Logging;

namespace EventHub.Auth0.Backfill;

/// <summary>
/// The webhook's half of the shared record: the log ids of a batch the broker confirmed, so a later pull skips them
/// instead of publishing them again (see docs/adr/0007). Only kept while backfill is on.
/// </summary>
internal sealed class StreamedLogs(BackfillStore store, HubSwitches switches, TimeProvider time, ILogger<StreamedLogs> logger)
{
    public async Task RecordAsync(IReadOnlyList<IHubEvent> confirmed, CancellationToken cancellationToken)
    {
        if (switches.Backfill == BackfillMode.Off || confirmed.Count == 0)
            return;
        try
        {
            await store.RecordKnownAsync([.. confirmed.Select(e => e.EventId).Distinct(StringComparer.Ordinal)], "stream", UnixMicros.From(time.GetUtcNow()), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The entries are published and confirmed: Auth0 must get its 200. The cost is that a pull may publish them
            // again, with the same MessageIds, which consumers already treat as duplicates.
            logger.LogWarning("Could not record {Count} streamed Auth0 log ids for backfill ({Error}); a pull may publish them again", confirmed.Count, e.GetType().Name);
        }
    }
}
