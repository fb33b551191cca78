using Dapper;
using EventHub.Contracts.Events;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Registry;
using EventHub.Publishing;
using EventHub.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Health;

/// <summary>
/// Decides when a failing listener is paused and resumes it. Deliveries that keep failing for
/// <see cref="ListenersOptions.PauseAfter"/>, or for <see cref="ListenersOptions.PauseAfterEvents"/> events in a row,
/// pause it: its endpoint stops consuming (so the queue keeps what arrives), its retries wait, and nothing more becomes a
/// dead letter. <c>listener.paused</c> and <c>listener.resumed</c> are published as ordinary hub events, so another
/// listener can page someone. The counters live in the listener's row, so every copy counts together; a success clears
/// them in the same round trip as its delivery record (<c>DeliveryStore.RecordAsync</c>).
/// </summary>
internal sealed class ListenerHealth(Database database, IServiceProvider services, IOptions<ListenersOptions> options, TimeProvider time, ILogger<ListenerHealth> logger)
{
    public const string Paused = "listener.paused";
    public const string Resumed = "listener.resumed";

    static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Counts a failed attempt; true when the listener is (now) paused, so the event is held for the resume instead of dead-lettered.</summary>
    public async Task<bool> FailedAsync(Listener listener, bool newEvent, SendResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var error = StorableText.From(result.Error) ?? $"HTTP {result.StatusCode}";
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE listeners SET failing_since = COALESCE(failing_since, @now), failed_events = failed_events + @count, last_error = @error WHERE id = @id",
            new { id = listener.Id, now = UnixMicros.From(now), count = newEvent ? 1 : 0, error }, cancellationToken: cancellationToken));
        var (state, failingSince, failedEvents) = await connection.QuerySingleOrDefaultAsync<(string, long?, long)>(new CommandDefinition(
            "SELECT state, failing_since, failed_events FROM listeners WHERE id = @id", new { id = listener.Id }, cancellationToken: cancellationToken));
        if (state == Listener.Paused)
            return true;
        var due = failedEvents >= options.Value.PauseAfterEvents || (failingSince is { } since && now - UnixMicros.ToTime(since) >= options.Value.PauseAfter);
        if (state != Listener.Active || !due)
            return false;

        // Only the copy whose update paused it announces the pause.
        var paused = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE listeners SET state = 'paused', paused_at = @now, version = version + 1, updated_at = @now WHERE id = @id AND state = 'active'",
            new { id = listener.Id, now = UnixMicros.From(now) }, cancellationToken: cancellationToken));
        if (paused == 1)
        {
            logger.LogWarning("Listener {ListenerId} paused after {Events} failing events since {Since}: its events wait in its queue until it is resumed", listener.Id, failedEvents, failingSince is { } s ? UnixMicros.ToTime(s) : now);
            await PublishAsync(Paused, listener, now, new
            {
                listenerId = listener.Id,
                name = listener.Name,
                failingSince = failingSince is { } f ? UnixMicros.ToTime(f) : now,
                failedEvents,
                lastError = error,
            }, cancellationToken);
        }

        return true;
    }

    /// <summary>Resumes a paused listener: its retries are due at once and its endpoint consumes again. False when it was not paused.</summary>
    public async Task<bool> ResumeAsync(Listener listener, CancellationToken cancellationToken)
    {
        var now = UnixMicros.From(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var resumed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE listeners SET state = 'active', paused_at = NULL, failing_since = NULL, failed_events = 0, version = version + 1, updated_at = @now WHERE id = @id AND state = 'paused'",
            new { id = listener.Id, now }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET next_attempt_at = @now, lease_until = NULL WHERE listener_id = @id AND state = 'failed-retrying'",
            new { id = listener.Id, now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        if (resumed == 1)
            await PublishAsync(Resumed, listener, time.GetUtcNow(), new { listenerId = listener.Id, name = listener.Name, pausedAt = listener.Health?.PausedAt }, cancellationToken);
        return resumed == 1;
    }

    async Task PublishAsync(string name, Listener listener, DateTimeOffset at, object payload, CancellationToken cancellationToken)
    {
        var health = new EmittedEvent
        {
            EventId = $"{name}.{listener.Id}.{UnixMicros.From(at)}",
            Name = name,
            Source = "eventhub",
            OccurredAt = at,
            ReceivedAt = at,
            Payload = System.Text.Json.JsonSerializer.Serialize(payload),
        };
        // Resolved when a health event is published, not with the listener's state: it needs the bus.
        var confirmation = await services.GetRequiredService<ConfirmedPublisher>().PublishAsync([health], PublishTimeout, cancellationToken);
        if (!confirmation.IsConfirmed)
            logger.LogWarning("Listener {ListenerId}: {Event} not published ({Refusal}); the listener's state is saved all the same", listener.Id, name, confirmation.Refusal);
    }
}
