using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventHub.Storage;

public static class StorageModule
{
    public const string ProviderKey = "EventHub:Database";
    public const string ConnectionStringKey = "ConnectionStrings:EventHub";
    const string DefaultSqliteFile = "data/eventhub.db";

    public static IHostApplicationBuilder AddEventHubStorage(this IHostApplicationBuilder builder)
    {
        var options = ReadOptions(builder);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<SchemaMigrationService>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    static StorageOptions ReadOptions(IHostApplicationBuilder builder)
    {
        var provider = Settings.ReadEnum(builder.Configuration, ProviderKey, DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration[ConnectionStringKey];

        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw Settings.Invalid(ConnectionStringKey, "is required when EventHub__Database=Postgres (e.g. 'Host=db;Database=eventhub;Username=eventhub;Password=...')");
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException)
            {
                throw Settings.Invalid(ConnectionStringKey, "is not a valid PostgreSQL connection string");
            }
            return new StorageOptions { Provider = provider, ConnectionString = connectionString };
        }

        if (string.IsNullOrWhiteSpace(connectionString))
            connectionString = $"Data Source={DefaultSqliteFile}";
        SqliteConnectionStringBuilder sqlite;
        try
        {
            sqlite = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            throw Settings.Invalid(ConnectionStringKey, "is not a valid SQLite connection string");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        // SQLite answers "busy" while another connection writes; wait for it rather than fail.
        sqlite.DefaultTimeout = Math.Max(sqlite.DefaultTimeout, 30);
        return new StorageOptions { Provider = provider, ConnectionString = sqlite.ConnectionString };
    }
}
