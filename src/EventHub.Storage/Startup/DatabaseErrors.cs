using EventHub.Composition;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EventHub.Storage.Startup;

/// <summary>
/// Tells an unreachable database (wait for it: it may simply be starting) from one that answered and said the
/// settings are wrong (stop: waiting cannot fix a password).
/// </summary>
internal static class DatabaseErrors
{
    // SQLite result codes (sqlite.org/rescode.html) that no wait cures: permissions, read-only, not a database.
    const int SqlitePerm = 3, SqliteReadOnly = 8, SqliteIoError = 10, SqliteCantOpen = 14, SqliteNotADatabase = 26;

    /// <summary>The startup error for a setting to fix, or null when the database may still come.</summary>
    public static DatabaseStartupException? SettingError(Exception error, StorageOptions options)
    {
        var setting = Settings.EnvironmentName(StorageModule.ConnectionStringKey);
        return error switch
        {
            // 28xxx: the login was refused; 3D000: no such database; 42501: the role may not create the schema.
            PostgresException { SqlState: var state } when state.StartsWith("28", StringComparison.Ordinal) || state is "3D000" or "42501" =>
                new DatabaseStartupException($"{setting} was refused by PostgreSQL: {OneLine(error.Message)}", 2),
            // Npgsql's own refusals before the server is asked (no password given, TLS required but not offered).
            NpgsqlException { IsTransient: false } and not PostgresException =>
                new DatabaseStartupException($"{setting} cannot be used to connect to PostgreSQL: {OneLine(error.Message)}", 2),
            SqliteException { SqliteErrorCode: SqlitePerm or SqliteReadOnly or SqliteIoError or SqliteCantOpen or SqliteNotADatabase }
                or UnauthorizedAccessException or IOException when options.Provider == DatabaseProvider.Sqlite =>
                new DatabaseStartupException($"{setting} names a SQLite file that cannot be opened for writing ({SqliteFile(options)}): {OneLine(error.Message)}", 2),
            _ => null,
        };
    }

    /// <summary>An error as the readiness check and the logs show it: type and message, one line, no stack.</summary>
    public static string Describe(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is { } inner && innermost is not PostgresException)
            innermost = inner;
        var message = innermost == error ? error.Message : $"{error.Message} ({innermost.Message})";
        return $"{error.GetType().Name}: {OneLine(message)}";
    }

    public static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    static string SqliteFile(StorageOptions options) => Path.GetFullPath(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource);
}
