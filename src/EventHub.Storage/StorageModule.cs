using EventHub.Composition;
using EventHub.Storage.Startup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EventHub.Storage;

public static class StorageModule
{
    public const string ProviderKey = "EventHub:Database";
    public const string ConnectionStringKey = "ConnectionStrings:EventHub";
    public const string StartupTimeoutKey = "EventHub:Database:StartupTimeout";
    const string DefaultSqliteFile = "data/eventhub.db";

    public static IHostApplicationBuilder AddEventHubStorage(this IHostApplicationBuilder builder)
    {
        var options = ReadOptions(builder);
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton(services => services.GetRequiredService<Database>().Status);
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<SchemaMigrationService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SchemaMigrationService>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Migrates before the host starts when the database answers; throws <see cref="DatabaseStartupException"/> (one line)
    /// when it refuses the settings. An unreachable database is waited for once the host runs.
    /// </summary>
    public static Task TryMigrateBeforeStartAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<SchemaMigrationService>().FirstTryAsync(cancellationToken);

    static StorageOptions ReadOptions(IHostApplicationBuilder builder)
    {
        var provider = Settings.ReadEnum(builder.Configuration, ProviderKey, DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration[ConnectionStringKey];
        var startupTimeout = ReadStartupTimeout(builder.Configuration);

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
            return new StorageOptions { Provider = provider, ConnectionString = connectionString, StartupTimeout = startupTimeout };
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
        try
        {
            if (!string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Settings.Invalid(ConnectionStringKey, $"names a folder that cannot be created ({directory}): {e.Message.TrimEnd('.')}");
        }

        // SQLite answers "busy" while another connection writes; wait for it rather than fail.
        sqlite.DefaultTimeout = Math.Max(sqlite.DefaultTimeout, 30);
        return new StorageOptions { Provider = provider, ConnectionString = sqlite.ConnectionString, StartupTimeout = startupTimeout };
    }

    /// <summary>Empty: wait for the database for as long as it takes (the orchestrator's probes decide when that is too long).</summary>
    static TimeSpan? ReadStartupTimeout(IConfiguration configuration)
    {
        var text = configuration[StartupTimeoutKey];
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromDays(7)
            ? value
            : throw Settings.Invalid(StartupTimeoutKey, $"'{text}' is not valid: use a time span from 00:00:01 to 7.00:00:00, or leave it empty to wait for ever");
    }
}
