using EventHub.Storage;

namespace EventHub.Listeners.Registry;

internal static class ListenersSchema
{
    // deliveries is the transaction record of each (listener, event), the retry schedule (state 'retrying' with
    // next_attempt_at) and the listener's dead letters (state 'dead') in one table: see docs/adr/0003.
    const string Tables = """
        CREATE TABLE listeners (
            id TEXT PRIMARY KEY,
            listener_key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            platform TEXT NULL,
            label TEXT NULL,
            patterns TEXT NOT NULL,
            delivery_type TEXT NOT NULL,
            url TEXT NULL,
            secret TEXT NOT NULL,
            timeout_seconds INTEGER NOT NULL,
            retry_schedule TEXT NOT NULL,
            state TEXT NOT NULL,
            version {BIG} NOT NULL,
            created_at {BIG} NOT NULL,
            updated_at {BIG} NOT NULL
        );
        CREATE TABLE deliveries (
            listener_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            event_name TEXT NOT NULL,
            event_source TEXT NOT NULL,
            occurred_at {BIG} NOT NULL,
            received_at {BIG} NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at {BIG} NULL,
            lease_until {BIG} NULL,
            last_status INTEGER NULL,
            last_error TEXT NULL,
            output TEXT NULL,
            replay_pending INTEGER NOT NULL DEFAULT 0,
            created_at {BIG} NOT NULL,
            updated_at {BIG} NOT NULL,
            PRIMARY KEY (listener_id, event_id)
        );
        CREATE INDEX ix_deliveries_due ON deliveries (state, next_attempt_at);
        CREATE TABLE delivery_attempts (
            listener_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            at {BIG} NOT NULL,
            status_code INTEGER NULL,
            duration_ms INTEGER NOT NULL,
            error TEXT NULL,
            replay INTEGER NOT NULL,
            PRIMARY KEY (listener_id, event_id, attempt)
        );
        """;

    /// <summary>The name of the key that registered the listener: only it (or an admin key) may use the listener. Null for listeners registered before owners existed: only admin keys may use those.</summary>
    public static readonly SchemaMigration V3 = new(
        "listeners",
        3,
        Sqlite: "ALTER TABLE listeners ADD COLUMN owner TEXT NULL;",
        Postgres: "ALTER TABLE listeners ADD COLUMN owner TEXT NULL;");

    /// <summary>A rotated secret keeps signing alongside the new one until <c>previous_secret_until</c>.</summary>
    public static readonly SchemaMigration V2 = new(
        "listeners",
        2,
        Sqlite: "ALTER TABLE listeners ADD COLUMN previous_secret TEXT NULL; ALTER TABLE listeners ADD COLUMN previous_secret_until INTEGER NULL;",
        Postgres: "ALTER TABLE listeners ADD COLUMN previous_secret TEXT NULL; ALTER TABLE listeners ADD COLUMN previous_secret_until BIGINT NULL;");

    /// <summary>
    /// A listener's payload filter (as given) and how many events it held back. The delivery rules (filter, redaction,
    /// rate limit, health) are numbered as their own module, after every <c>listeners</c> version, so they and the
    /// registry's own columns (owners, scopes) can be added independently without fighting over a version number.
    /// </summary>
    public static readonly SchemaMigration Rules1 = new(
        "listeners.rules",
        1,
        Sqlite: "ALTER TABLE listeners ADD COLUMN filter TEXT NULL; ALTER TABLE listeners ADD COLUMN filtered_events INTEGER NOT NULL DEFAULT 0;",
        Postgres: "ALTER TABLE listeners ADD COLUMN filter TEXT NULL; ALTER TABLE listeners ADD COLUMN filtered_events BIGINT NOT NULL DEFAULT 0;");

    /// <summary>A listener's redaction (as given) and the hub's keys (the one that keys redaction's HMAC).</summary>
    public static readonly SchemaMigration Rules2 = new(
        "listeners.rules",
        2,
        Sqlite: "ALTER TABLE listeners ADD COLUMN redact TEXT NULL; CREATE TABLE hub_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL);",
        Postgres: "ALTER TABLE listeners ADD COLUMN redact TEXT NULL; CREATE TABLE hub_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL);");

    /// <summary>A listener's health: since when its deliveries fail, how many events in a row, the last error, when that paused it.</summary>
    public static readonly SchemaMigration Rules3 = new(
        "listeners.rules",
        3,
        Sqlite: "ALTER TABLE listeners ADD COLUMN failing_since INTEGER NULL; ALTER TABLE listeners ADD COLUMN failed_events INTEGER NOT NULL DEFAULT 0; ALTER TABLE listeners ADD COLUMN last_error TEXT NULL; ALTER TABLE listeners ADD COLUMN paused_at INTEGER NULL;",
        Postgres: "ALTER TABLE listeners ADD COLUMN failing_since BIGINT NULL; ALTER TABLE listeners ADD COLUMN failed_events BIGINT NOT NULL DEFAULT 0; ALTER TABLE listeners ADD COLUMN last_error TEXT NULL; ALTER TABLE listeners ADD COLUMN paused_at BIGINT NULL;");

    /// <summary>A listener's rate limit: deliveries a second across every copy.</summary>
    public static readonly SchemaMigration Rules4 = new("listeners.rules", 4, Sqlite: "ALTER TABLE listeners ADD COLUMN rate_limit INTEGER NULL;", Postgres: "ALTER TABLE listeners ADD COLUMN rate_limit INTEGER NULL;");

    public static readonly SchemaMigration V1 = new(
        "listeners",
        1,
        Sqlite: Tables.Replace("{BIG}", "INTEGER", StringComparison.Ordinal),
        Postgres: Tables.Replace("{BIG}", "BIGINT", StringComparison.Ordinal));
}
