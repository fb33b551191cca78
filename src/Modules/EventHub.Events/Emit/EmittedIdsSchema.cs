using EventHub.Storage;

namespace EventHub.Events.Emit;

internal static class EmittedIdsSchema
{
    public static readonly SchemaMigration V1 = new(
        "emitted-ids",
        1,
        Sqlite: "CREATE TABLE emitted_ids (id TEXT PRIMARY KEY, state TEXT NOT NULL, claimed_at INTEGER NOT NULL);",
        Postgres: "CREATE TABLE emitted_ids (id TEXT PRIMARY KEY, state TEXT NOT NULL, claimed_at BIGINT NOT NULL);");
}
