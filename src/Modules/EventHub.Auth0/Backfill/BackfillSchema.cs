using EventHub.Storage;

namespace EventHub.Auth0.Backfill;

internal static class BackfillSchema
{
    // One row per tenant: the checkpoint, the lease, a pending request and the progress of the last run, so every copy
    // sees the same state. Log ids compare as bytes (COLLATE "C" on PostgreSQL, SQLite's default), as Auth0 orders them.
    public static readonly SchemaMigration V1 = new(
        "auth0",
        1,
        Sqlite: """
            CREATE TABLE auth0_backfill (
                tenant TEXT PRIMARY KEY,
                checkpoint TEXT NULL,
                checkpoint_at INTEGER NULL,
                requested_from TEXT NULL,
                requested_at INTEGER NULL,
                lease_holder TEXT NULL,
                lease_expires_at INTEGER NOT NULL DEFAULT 0,
                run_state TEXT NULL,
                run_trigger TEXT NULL,
                run_from TEXT NULL,
                run_pages INTEGER NOT NULL DEFAULT 0,
                run_fetched INTEGER NOT NULL DEFAULT 0,
                run_published INTEGER NOT NULL DEFAULT 0,
                run_skipped INTEGER NOT NULL DEFAULT 0,
                run_last_log_id TEXT NULL,
                run_started_at INTEGER NULL,
                run_finished_at INTEGER NULL,
                run_error TEXT NULL
            );
            CREATE TABLE auth0_known_logs (
                log_id TEXT PRIMARY KEY,
                via TEXT NOT NULL,
                recorded_at INTEGER NOT NULL
            );
            CREATE INDEX ix_auth0_known_logs_recorded_at ON auth0_known_logs (recorded_at);
            """,
        Postgres: """
            CREATE TABLE auth0_backfill (
                tenant TEXT PRIMARY KEY,
                checkpoint TEXT COLLATE "C" NULL,
                checkpoint_at BIGINT NULL,
                requested_from TEXT COLLATE "C" NULL,
                requested_at BIGINT NULL,
                lease_holder TEXT NULL,
                lease_expires_at BIGINT NOT NULL DEFAULT 0,
                run_state TEXT NULL,
                run_trigger TEXT NULL,
                run_from TEXT NULL,
                run_pages BIGINT NOT NULL DEFAULT 0,
                run_fetched BIGINT NOT NULL DEFAULT 0,
                run_published BIGINT NOT NULL DEFAULT 0,
                run_skipped BIGINT NOT NULL DEFAULT 0,
                run_last_log_id TEXT NULL,
                run_started_at BIGINT NULL,
                run_finished_at BIGINT NULL,
                run_error TEXT NULL
            );
            CREATE TABLE auth0_known_logs (
                log_id TEXT PRIMARY KEY,
                via TEXT NOT NULL,
                recorded_at BIGINT NOT NULL
            );
            CREATE INDEX ix_auth0_known_logs_recorded_at ON auth0_known_logs (recorded_at);
            """);
}
