using EventHub.Storage;

namespace EventHub.Events.Emit;

internal static class EmittedIdsSchema
{
    public static readonly SchemaMigration V1 = new(
        "emitted-ids",
        1,
        Sqlite: "CREATE TABLE emitted_ids (id TEXT PRIMARY KEY, state TEXT NOT NULL, claimed_at INTEGER NOT NULL);",
        Postgres: "CREATE TABLE emitted_ids (id TEXT PRIMARY KEY, state TEXT NOT NULL, claimed_at BIGINT NOT NULL);");

    /// <summary>The source that claimed an id first: another source's emit of the same id is refused, not silently dropped.</summary>
    public static readonly SchemaMigration V2 = new(
        "emitted-ids",
        2,
        Sqlite: "ALTER TABLE emitted_ids ADD COLUMN source TEXT NULL;",
        Postgres: "ALTER TABLE emitted_ids ADD COLUMN source TEXT NULL;");
}
