using EventHub.Listeners.Webhooks;
using EventHub.Contracts;
using EventHub.Listeners.Health;
using EventHub.Listeners.Pull;
using EventHub.Listeners.RateLimits;
using EventHub.Listeners.Redaction;
using EventHub.Listeners.Registry;
using Microsoft.Extensions.Logging;
using EventHub.Storage;

namespace EventHub.Listeners.Delivery;

/// <summary>
/// Decides what happens to one delivery: attempt it, record the attempt, then succeeded, retry later on the listener's
/// schedule (honouring Retry-After), dead after the last attempt, or listener disabled on 410 Gone.
/// </summary>
internal sealed class Deliverer(DeliveryStore store, WebhookSender sender, PullStreams streams, ListenerStore listeners, ListenerMetrics metrics, RedactionKey redactionKey, ListenerHealth health, DeliveryPacer pacer, TimeProvider time, ILogger<Deliverer> logger)
{
    static readonly TimeSpan ReleaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>An event arrived from the listener's queue.</summary>
    public Task OnEventAsync(Listener listener, IHubEvent hubEvent, CancellationToken cancellationToken) =>
        DeliverAsync(listener, hubEvent, again: false, cancellationToken);

    /// <summary>
    /// Delivers an event, live or from the event log: once (<paramref name="again"/> false: an event the listener already
    /// has is left alone, so a past event that also arrives live is delivered once), or again as a replay with its
    /// original id. Returns the first attempt's outcome, or why there was none.
    /// </summary>
    public async Task<string> DeliverAsync(Listener listener, IHubEvent hubEvent, bool again, CancellationToken cancellationToken)
    {
        // In memory every endpoint sees every event, and a PATCHed listener's old bindings may linger: match here too.
        if (!listener.Patterns.Any(p => TopicPattern.Parse(p)?.Matches(hubEvent.Name) == true))
            return Unmatched;

        var item = DeliveryItem.From(hubEvent);
        if (listener.Filter is { } filter && !filter.Match(item.EventId, item.Name, item.Source, hubEvent.OccurredAt, item.Payload).Matches)
        {
            // Acknowledged without a delivery record: the filter said no, so there is nothing to retry or replay.
            await listeners.CountFilteredAsync(listener.Id, cancellationToken);
            metrics.Filtered(listener.Id);
            return Unmatched;
        }

        if (listener.Redact is { } redact)
            item = item with { Payload = redact.Apply(item.Payload, await redactionKey.HasherAsync(cancellationToken)) };
        if (again ? !await store.BeginAgainAsync(listener.Id, item, Now(), cancellationToken) : !await store.BeginAsync(listener.Id, item, Now(), cancellationToken))
            return Skipped;
        return await AttemptAsync(listener, item, 0, replay: again, cancellationToken);
    }

    /// <summary>Neither delivered nor recorded: the listener's patterns or filter do not want the event.</summary>
    public const string Unmatched = "unmatched";

    /// <summary>Not attempted: the listener already has the event, or it is on its retry schedule.</summary>
    public const string Skipped = "skipped";

    /// <summary>Attempts the delivery that has had <paramref name="previousAttempts"/> attempts so far; returns the outcome.</summary>
    public async Task<string> AttemptAsync(Listener listener, DeliveryItem item, int previousAttempts, bool replay, CancellationToken cancellationToken)
    {
        // A first attempt runs inside MassTransit's consume span, so the event's trace goes on from the publish; retries
        // run from the scheduler and start traces of their own.
        await pacer.WaitAsync(listener, cancellationToken);
        using var activity = ListenerMetrics.Activities.StartActivity($"deliver {listener.Id}");
        activity?.SetTag("eventhub.listener.id", listener.Id);
        activity?.SetTag("eventhub.event.id", item.EventId);
        activity?.SetTag("eventhub.event.name", item.Name);
        activity?.SetTag("eventhub.delivery.attempt", previousAttempts + 1);
        var outcome = listener.DeliveryType == Listener.Pull
            ? await PullAsync(listener, item, previousAttempts, replay, cancellationToken)
            : await RecordAsync(listener, item, previousAttempts, replay, await sender.SendAsync(listener, item, cancellationToken), cancellationToken);
        activity?.SetTag("eventhub.delivery.outcome", outcome);
        if (outcome is not "succeeded" and not "released")
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, outcome);
        return outcome;
    }

    /// <summary>
    /// A pull attempt is the event sent on a stream of this copy and settled by its acknowledgement, its timeout or the
    /// stream closing; from there it is recorded exactly as a webhook attempt (retry schedule, dead letter).
    /// </summary>
    async Task<string> PullAsync(Listener listener, DeliveryItem item, int previousAttempts, bool replay, CancellationToken cancellationToken)
    {
        var offer = streams.Offer(listener, item, previousAttempts + 1);
        SendResult? result = null;
        if (offer is not null)
        {
            try
            {
                result = await offer.Outcome.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping: nothing is recorded and the broker message is not acknowledged, so it comes back.
                offer.Settle(offer.Failure("the hub stopped"));
                throw;
            }
        }

        if (result is null)
        {
            // No stream of this copy could take it: back to the schedule without counting an attempt, for a copy or a
            // connection that has a stream.
            await store.ReleaseAsync(listener.Id, item.EventId, UnixMicros.From(time.GetUtcNow() + ReleaseDelay), Now(), cancellationToken);
            return "released";
        }

        var stored = false;
        try
        {
            var outcome = await RecordAsync(listener, item, previousAttempts, replay, result, cancellationToken);
            stored = true;
            return outcome;
        }
        finally
        {
            offer!.MarkRecorded(stored);
        }
    }

    async Task<string> RecordAsync(Listener listener, DeliveryItem item, int previousAttempts, bool replay, SendResult result, CancellationToken cancellationToken)
    {
        var now = Now();
        var attempts = previousAttempts + 1;

        if (result.Succeeded)
        {
            metrics.Attempted(listener.Id, "succeeded", result.DurationMs);
            await store.RecordAsync(listener.Id, item.EventId, new(DeliveryStates.Succeeded, attempts), result, replay, now, cancellationToken);
            metrics.Finished(listener.Id, "succeeded", UnixMicros.ToTime(now) - UnixMicros.ToTime(item.ReceivedAt));
            return "succeeded";
        }

        if (result.Gone)
        {
            metrics.Attempted(listener.Id, "gone", result.DurationMs);
            await store.RecordAsync(listener.Id, item.EventId, new(DeliveryStates.Failed, attempts, Error: "410 Gone: the listener was disabled"), result, replay, now, cancellationToken);
            await listeners.SetStateAsync(listener.Id, Listener.Disabled, cancellationToken);
            logger.LogWarning("Listener {ListenerId} answered 410 Gone: disabled", listener.Id);
            metrics.Finished(listener.Id, "gone", TimeSpan.Zero);
            return "gone";
        }

        // A paused listener's failures wait for its resume instead of becoming dead letters.
        var held = await health.FailedAsync(listener, previousAttempts == 0, result, cancellationToken);
        if (attempts >= listener.MaxAttempts && !held)
        {
            metrics.Attempted(listener.Id, "dead", result.DurationMs);
            await store.RecordAsync(listener.Id, item.EventId, new(DeliveryStates.Dead, attempts), result, replay, now, cancellationToken);
            logger.LogWarning("Event {EventId} is dead at listener {ListenerId} after {Attempts} attempts ({Status} {Error})", item.EventId, listener.Id, attempts, result.StatusCode, result.Error);
            metrics.Finished(listener.Id, "dead", TimeSpan.Zero);
            return "dead";
        }

        metrics.Attempted(listener.Id, "retrying", result.DurationMs);
        var delay = TimeSpan.FromSeconds(listener.RetryScheduleSeconds.Count == 0 ? 0 : listener.RetryScheduleSeconds[Math.Min(attempts, listener.RetryScheduleSeconds.Count) - 1]);
        if (result.StatusCode is 429 or 503 && result.RetryAfter is { } retryAfter && retryAfter > delay)
            delay = retryAfter < TimeSpan.FromHours(24) ? retryAfter : TimeSpan.FromHours(24);
        var next = UnixMicros.From(time.GetUtcNow() + delay);
        await store.RecordAsync(listener.Id, item.EventId, new(DeliveryStates.Retrying, attempts, next), result, replay, now, cancellationToken);
        return "retrying";
    }

    long Now() => UnixMicros.From(time.GetUtcNow());
}
