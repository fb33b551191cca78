using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using EventHub.Contracts.Events;
using EventHub.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Events.Emit;

/// <summary>Publishes validated events: ids assigned, duplicates published once, answered only after the broker confirmed.</summary>
internal sealed class EventEmitter(
    ConfirmedPublisher publisher,
    IngressPacing pacing,
    EmittedIds emittedIds,
    IOptions<EventsOptions> options,
    TimeProvider time,
    ILogger<EventEmitter> logger)
{
    static readonly TimeSpan PublishingPoll = TimeSpan.FromMilliseconds(50);

    public async Task<EmitOutcome> EmitAsync(IReadOnlyList<EmitCandidate> candidates, string source, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await pacing.WaitAsync(auth0Entries: false, cancellationToken);
        var receivedAt = time.GetUtcNow();
        var ids = new string[candidates.Count];
        var events = new Dictionary<string, EmittedEvent>(StringComparer.Ordinal);
        var deduplicated = new List<string>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var explicitId = candidate.Id ?? (idempotencyKey is null ? null : IdFromIdempotencyKey(source, idempotencyKey, i));
            ids[i] = explicitId ?? Guid.CreateVersion7(receivedAt).ToString();
            if (explicitId is not null)
                deduplicated.Add(ids[i]);
            events.TryAdd(ids[i], new EmittedEvent
            {
                EventId = ids[i],
                Name = candidate.Name,
                Source = source,
                OccurredAt = candidate.Time ?? receivedAt,
                ReceivedAt = receivedAt,
                Payload = candidate.Payload,
            });
        }

        // A claim older than this belongs to an attempt that can no longer be publishing.
        var staleAfter = settings.ConfirmTimeout * 2;
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // An id another request of this source is still publishing is answered only once that request has published it
            // (202 only for what is durable) or given it up (then this request claims and publishes it); a claim left by a
            // dead process turns stale and is taken over, so this ends within the stale limit.
            IReadOnlyCollection<string> toClaim = deduplicated.Distinct(StringComparer.Ordinal).ToList();
            while (true)
            {
                var (got, taken, publishing) = await emittedIds.ClaimAsync(toClaim, source, time.GetUtcNow(), staleAfter, cancellationToken);
                if (taken is not null)
                {
                    await emittedIds.ReleaseAsync(claimed);
                    return EmitOutcome.Taken(taken);
                }
                claimed.UnionWith(got);
                if (publishing.Count == 0)
                    break;
                toClaim = publishing;
                await Task.Delay(PublishingPoll, time, cancellationToken);
            }
        }
        catch (Exception e)
        {
            // Claimed while waiting for another request's ids: given back, or they would wait for the stale limit.
            await ReleaseQuietlyAsync(claimed);
            if (e is not DbException)
                throw;
            logger.LogWarning("Answered 503 to an emit of {Count} events from {Source}: the database is unavailable ({Error})", candidates.Count, source, e.GetType().Name);
            return EmitOutcome.Unavailable(settings.RetryAfterSeconds);
        }

        var toPublish = events.Values.Where(e => claimed.Contains(e.EventId) || !deduplicated.Contains(e.EventId)).ToList();

        Confirmation confirmation;
        try
        {
            // A publish confirmed after the 503 is deduplicated by id downstream.
            confirmation = await publisher.PublishAsync(toPublish, settings.ConfirmTimeout, cancellationToken);
        }
        catch
        {
            await emittedIds.ReleaseAsync(claimed);
            throw;
        }

        if (!confirmation.IsConfirmed)
        {
            await emittedIds.ReleaseAsync(claimed);
            logger.LogWarning("Answered 503 to an emit of {Count} events from {Source}: {Refusal}", toPublish.Count, source, confirmation.Refusal);
            return EmitOutcome.Unavailable(settings.RetryAfterSeconds);
        }

        await emittedIds.MarkPublishedAsync(claimed);
        return EmitOutcome.Accepted(ids, toPublish.Count);
    }

    async Task ReleaseQuietlyAsync(IReadOnlyCollection<string> ids)
    {
        try
        {
            await emittedIds.ReleaseAsync(ids);
        }
        catch (DbException)
        {
            // The database is away: the claims turn stale and are taken over by the client's retry.
        }
    }

    /// <summary>The same key from the same source always names the same events, so a retried request is recognised.</summary>
    static string IdFromIdempotencyKey(string source, string key, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{source}\n{key}\n{index}"));
        return "idem-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
