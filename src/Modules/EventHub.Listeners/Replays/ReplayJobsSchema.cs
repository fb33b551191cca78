using EventHub.Storage;

namespace EventHub.Listeners.Replays;

internal static class ReplayJobsSchema
{
    // Numbered as a module of its own, like the delivery rules, so it and the registry's columns grow independently.
    const string Table = """
        CREATE TABLE replay_jobs (
            id TEXT PRIMARY KEY,
            listener_id TEXT NOT NULL,
            owner TEXT NULL,
            kind TEXT NOT NULL,
            patterns TEXT NOT NULL,
            filter TEXT NULL,
            from_time {BIG} NOT NULL,
            to_time {BIG} NULL,
            cursor {BIG} NOT NULL,
            position_time {BIG} NULL,
            matched {BIG} NOT NULL DEFAULT 0,
            delivered {BIG} NOT NULL DEFAULT 0,
            failed {BIG} NOT NULL DEFAULT 0,
            skipped {BIG} NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            error TEXT NULL,
            claimed_by TEXT NULL,
            lease_until {BIG} NULL,
            created_at {BIG} NOT NULL,
            updated_at {BIG} NOT NULL,
            finished_at {BIG} NULL
        );
        CREATE INDEX ix_replay_jobs_listener ON replay_jobs (listener_id, created_at);
        CREATE INDEX ix_replay_jobs_state ON replay_jobs (state, lease_until);
        """;

    public static readonly SchemaMigration V1 = new(
        "listeners.replays",
        1,
        Sqlite: Table.Replace("{BIG}", "INTEGER", StringComparison.Ordinal),
        Postgres: Table.Replace("{BIG}", "BIGINT", StringComparison.Ordinal));
}
