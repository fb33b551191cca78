namespace EventHub.Storage;

/// <summary>One step of a module's schema, in both dialects. Versions only ever grow; a shipped step is never edited.</summary>
public sealed record SchemaMigration(string Module, int Version, string Sqlite, string Postgres);
