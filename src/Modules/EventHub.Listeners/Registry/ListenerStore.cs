using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using EventHub.Listeners.Filters;
using EventHub.Listeners.Redaction;
using EventHub.Storage;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Registry;

/// <summary>The listener registry in the database, shared by every host copy.</summary>
internal sealed class ListenerStore(Database database, TimeProvider time, IOptions<ListenersOptions> options)
{
    const string Columns = "id, listener_key AS ListenerKey, name, platform, label, patterns, delivery_type AS DeliveryType, url, secret, timeout_seconds AS TimeoutSeconds, retry_schedule AS RetrySchedule, state, version, previous_secret AS PreviousSecret, previous_secret_until AS PreviousSecretUntil, owner, filter, filtered_events AS FilteredEvents, redact, failing_since AS FailingSince, failed_events AS FailedEvents, last_error AS LastError, paused_at AS PausedAt, rate_limit AS RateLimit";

    /// <summary>Creates the listener (owned by <paramref name="owner"/>), or updates the one with the same key, whose owner stays; returns it and whether it was created.</summary>
    public async Task<(Listener Listener, bool Created)> UpsertAsync(ListenerRegistration registration, string owner, CancellationToken cancellationToken)
    {
        var now = UnixMicros.From(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM listeners WHERE listener_key = @Key", new { registration.Key }, transaction, cancellationToken: cancellationToken));

        var row = new
        {
            Id = existing?.Id ?? Guid.CreateVersion7().ToString("N"),
            registration.Key,
            registration.Name,
            registration.Platform,
            registration.Label,
            Patterns = JsonSerializer.Serialize(registration.Patterns),
            registration.DeliveryType,
            registration.Url,
            Secret = registration.Secret ?? existing?.Secret ?? NewSecret(),
            // A new secret given for an existing listener is a rotation: the old one keeps signing for the overlap.
            PreviousSecret = existing is not null && registration.Secret is not null && registration.Secret != existing.Secret ? existing.Secret : existing?.PreviousSecret,
            PreviousSecretUntil = existing is not null && registration.Secret is not null && registration.Secret != existing.Secret
                ? UnixMicros.From(time.GetUtcNow() + options.Value.SecretRotationOverlap)
                : existing?.PreviousSecretUntil,
            registration.TimeoutSeconds,
            RetrySchedule = JsonSerializer.Serialize(registration.RetryScheduleSeconds),
            Owner = owner,
            Filter = registration.Filter?.Json,
            Redact = registration.Redact?.Json,
            RateLimit = registration.RateLimitPerSecond,
            Now = now,
        };

        if (existing is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO listeners (id, listener_key, name, platform, label, patterns, delivery_type, url, secret, timeout_seconds, retry_schedule, filter, redact, rate_limit, state, version, created_at, updated_at, owner)
                VALUES (@Id, @Key, @Name, @Platform, @Label, @Patterns, @DeliveryType, @Url, @Secret, @TimeoutSeconds, @RetrySchedule, @Filter, @Redact, @RateLimit, 'active', 1, @Now, @Now, @Owner)
                """, row, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE listeners SET patterns = @Patterns, delivery_type = @DeliveryType, url = @Url, secret = @Secret,
                    previous_secret = @PreviousSecret, previous_secret_until = @PreviousSecretUntil,
                    timeout_seconds = @TimeoutSeconds, retry_schedule = @RetrySchedule, filter = @Filter, redact = @Redact, rate_limit = @RateLimit, state = 'active', version = version + 1, updated_at = @Now
                WHERE id = @Id
                """, row, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return ((await FindAsync(row.Id, cancellationToken))!, existing is null);
    }

    public async Task<IReadOnlyList<Listener>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM listeners ORDER BY created_at, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToListener())];
    }

    /// <summary>The listener registered under this key (platform, label, name), or null.</summary>
    public async Task<Listener?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM listeners WHERE listener_key = @key", new { key }, cancellationToken: cancellationToken));
        return row?.ToListener();
    }

    public async Task<Listener?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM listeners WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToListener();
    }

    /// <summary>Removes the listener and its delivery records; returns false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM listeners WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM delivery_attempts WHERE listener_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM deliveries WHERE listener_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted == 1;
    }

    public async Task SetStateAsync(string id, string state, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE listeners SET state = @state, version = version + 1, updated_at = @now WHERE id = @id",
            new { id, state, now = UnixMicros.From(time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    /// <summary>Counts events the listener's filter held back (acknowledged without a delivery).</summary>
    public async Task CountFilteredAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE listeners SET filtered_events = filtered_events + 1 WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    sealed class Row
    {
        public string Id { get; init; } = "";
        public string ListenerKey { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Platform { get; init; }
        public string? Label { get; init; }
        public string Patterns { get; init; } = "[]";
        public string DeliveryType { get; init; } = "";
        public string? Url { get; init; }
        public string Secret { get; init; } = "";
        public long TimeoutSeconds { get; init; }
        public string RetrySchedule { get; init; } = "[]";
        public string State { get; init; } = "";
        public long Version { get; init; }
        public string? PreviousSecret { get; init; }
        public long? PreviousSecretUntil { get; init; }
        public string? Owner { get; init; }
        public string? Filter { get; init; }
        public long FilteredEvents { get; init; }
        public string? Redact { get; init; }
        public long? FailingSince { get; init; }
        public long FailedEvents { get; init; }
        public string? LastError { get; init; }
        public long? PausedAt { get; init; }
        public long? RateLimit { get; init; }

        public Listener ToListener() => new(
            Id, ListenerKey, Name, Platform, Label,
            JsonSerializer.Deserialize<string[]>(Patterns) ?? [],
            DeliveryType, Url, Secret, (int)TimeoutSeconds,
            JsonSerializer.Deserialize<int[]>(RetrySchedule) ?? [],
            State, Version)
        {
            PreviousSecret = PreviousSecret,
            PreviousSecretUntil = PreviousSecretUntil is { } until ? UnixMicros.ToTime(until) : null,
            Owner = Owner,
            Filter = Filter is null ? null : PayloadFilter.FromStored(Filter),
            Filtered = FilteredEvents,
            Redact = Redact is null ? null : RedactionRule.FromStored(Redact),
            RateLimitPerSecond = (int?)RateLimit,
            Health = FailingSince is null && PausedAt is null ? null : new ListenerHealthState(UnixMicros.ToTime(FailingSince), FailedEvents, LastError, UnixMicros.ToTime(PausedAt)),
        };
    }
}
