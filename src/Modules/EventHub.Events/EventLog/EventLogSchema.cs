using EventHub.Storage;

namespace EventHub.Events.EventLog;

internal static class EventLogSchema
{
    public static readonly SchemaMigration V1 = new(
        "events",
        1,
        Sqlite: """
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                source TEXT NOT NULL,
                occurred_at INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                payload TEXT NOT NULL
            );
            CREATE INDEX ix_events_name ON events (name);
            CREATE INDEX ix_events_received_at ON events (received_at);
            """,
        Postgres: """
            CREATE TABLE events (
                seq BIGSERIAL PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                source TEXT NOT NULL,
                occurred_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                payload TEXT NOT NULL
            );
            CREATE INDEX ix_events_name ON events (name);
            CREATE INDEX ix_events_received_at ON events (received_at);
            """);

    /// <summary>Queries by source and by the event's time (since/until) are answered from an index, not a scan.</summary>
    public static readonly SchemaMigration V2 = new(
        "events",
        2,
        Sqlite: "CREATE INDEX ix_events_source ON events (source, seq); CREATE INDEX ix_events_occurred_at ON events (occurred_at);",
        Postgres: "CREATE INDEX ix_events_source ON events (source, seq); CREATE INDEX ix_events_occurred_at ON events (occurred_at);");
}
