namespace EventHub.Storage.Sagas;

/// <summary>
/// One table for every saga type: the instance as JSON, a version for optimistic concurrency and an expiry for cleanup.
/// Ids are text so both databases bind them the same way; times are Unix microseconds as elsewhere.
/// </summary>
public static class SagaSchema
{
    public static readonly SchemaMigration V1 = new(
        "sagas",
        1,
        Sqlite: """
            CREATE TABLE sagas (
                saga_type TEXT NOT NULL,
                correlation_id TEXT NOT NULL,
                state TEXT NOT NULL,
                version INTEGER NOT NULL,
                expires_at INTEGER NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (saga_type, correlation_id)
            );
            CREATE INDEX ix_sagas_expires_at ON sagas (expires_at);
            """,
        Postgres: """
            CREATE TABLE sagas (
                saga_type TEXT NOT NULL,
                correlation_id TEXT NOT NULL,
                state TEXT NOT NULL,
                version INTEGER NOT NULL,
                expires_at BIGINT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (saga_type, correlation_id)
            );
            CREATE INDEX ix_sagas_expires_at ON sagas (expires_at);
            """);
}
