using System.Globalization;
using EventHub.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;
using RabbitMQ.Client;

namespace EventHub.LoadTest;

/// <summary>
/// The hub under load: either started here (a private RabbitMQ node, a private PostgreSQL cluster for the production
/// profile, the published host as a child process) or given by URLs, in which case nothing is started or stopped.
/// </summary>
internal sealed class HubTarget : IAsyncDisposable
{
    RabbitMqNode? _node;
    PostgresCluster? _postgres;
    HostProcess? _host;
    HostProcess? _second;
    IReadOnlyDictionary<string, string>? _settings;
    string? _postgresEventLog;
    string? _sqliteEventLog;

    public required Uri BaseAddress { get; init; }

    public required Uri Amqp { get; init; }

    public required string Auth0Token { get; init; }

    public required string ApiKey { get; init; }

    public required string Profile { get; init; }

    public int? HostPid => _host?.Id;

    /// <summary>The second copy of the host, once <see cref="StartSecondCopyAsync"/> started it.</summary>
    public HostProcess? Second => _second;

    public int? BrokerPid => _node?.ServerPid;

    public int? DatabasePid => _postgres?.ServerPid;

    public string RabbitMqVersion { get; private set; } = "unknown";

    public string DatabaseVersion { get; private set; } = "unknown";

    public static async Task<HubTarget> StartAsync(string profile)
    {
        const string token = "bench-auth0-token";
        const string key = "bench-api-key-0123456789abcdef0123456789";
        var node = await RabbitMqNode.StartAsync("eventhub-bench");
        PostgresCluster? postgres = null;
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["EventHub__Transport"] = "RabbitMq",
                ["EventHub__RabbitMq__Host"] = node.Host,
                ["EventHub__RabbitMq__Port"] = node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["EventHub__Auth0__Tokens__0"] = token,
                ["EventHub__Keys__bench"] = key,
                ["EventHub__Keys__bench__Scopes__0"] = "admin",
                // The load comes from one address and one key, faster than a tenant should be allowed by default.
                ["EventHub__Limits__PerKey"] = "1000000",
                ["EventHub__Limits__PerIp"] = "1000000",
                ["EventHub__Listeners__AllowPrivateTargets"] = "true",
                ["EventHub__Listeners__SyncInterval"] = "00:00:00.500",
                ["EventHub__Logging__Json"] = "true",
            };
            string database;
            string? sqlitePath = null;
            if (profile == "production")
            {
                postgres = await PostgresCluster.StartAsync();
                settings["EventHub__Database"] = "Postgres";
                settings["ConnectionStrings__EventHub"] = await postgres.CreateDatabaseAsync();
                await using var connection = new NpgsqlConnection(settings["ConnectionStrings__EventHub"]);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SHOW server_version", connection);
                database = "PostgreSQL " + await command.ExecuteScalarAsync();
            }
            else
            {
                sqlitePath = Path.Combine(Directory.CreateTempSubdirectory("eventhub-bench-db-").FullName, "eventhub.db");
                settings["ConnectionStrings__EventHub"] = $"Data Source={sqlitePath}";
                database = "SQLite";
            }

            var host = await HostProcess.StartAsync(settings);
            await host.WaitForOutputAsync("Bus started: rabbitmq://").WaitAsync(TimeSpan.FromSeconds(60));
            var (_, version) = await node.CtlAsync(["version"]);
            return new HubTarget
            {
                BaseAddress = host.BaseAddress,
                Amqp = new Uri(node.AmqpUri),
                Auth0Token = token,
                ApiKey = key,
                Profile = profile,
                _node = node,
                _postgres = postgres,
                _host = host,
                _settings = settings,
                _postgresEventLog = postgres is null ? null : settings["ConnectionStrings__EventHub"],
                _sqliteEventLog = sqlitePath is null ? null : new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 10 }.ToString(),
                RabbitMqVersion = "RabbitMQ " + version.Trim(),
                DatabaseVersion = database,
            };
        }
        catch
        {
            if (postgres is not null)
                await postgres.DisposeAsync();
            await node.DisposeAsync();
            throw;
        }
    }

    public HttpClient ApiClient()
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-EventHub-Key", ApiKey);
        return http;
    }

    /// <summary>Waits until the host delivers for the listener: from its log when it runs here, else a fixed grace (its sync interval is 2 s by default).</summary>
    public async Task WaitForListenerAsync(string listenerId)
    {
        if (_host is not null)
            await _host.WaitForOutputAsync(listenerId).WaitAsync(TimeSpan.FromSeconds(30));
        else
            await Task.Delay(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// A second copy of the host with the same settings on another port: the same broker, queues and database, as a
    /// scaled-out deployment runs. Only when the hub was started here.
    /// </summary>
    public async Task<HostProcess> StartSecondCopyAsync()
    {
        if (_settings is null)
            throw new InvalidOperationException("A second copy is started only for a hub started here.");
        _second = await HostProcess.StartAsync(new Dictionary<string, string>(_settings));
        await _second.WaitForOutputAsync("Bus started: rabbitmq://").WaitAsync(TimeSpan.FromSeconds(60));
        return _second;
    }

    /// <summary>Rows in the event log's table, or null when the database is not one started here.</summary>
    public async Task<long?> EventLogRowsAsync()
    {
        const string count = "SELECT count(*) FROM events";
        if (_postgresEventLog is not null)
        {
            await using var connection = new NpgsqlConnection(_postgresEventLog);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(count, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        if (_sqliteEventLog is not null)
        {
            await using var connection = new SqliteConnection(_sqliteEventLog);
            await connection.OpenAsync();
            await using var command = new SqliteCommand(count, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        return null;
    }

    /// <summary>
    /// Every queue on the broker but the bench's own, with its ready and unacknowledged messages and its consumers, from
    /// rabbitmqctl (a passive declare counts only ready messages, not those prefetched and not yet acknowledged). Against
    /// a hub not started here only the ready counts of <paramref name="named"/> can be read (Unacked and Consumers null).
    /// Null when rabbitmqctl did not answer (a loaded machine): never read as empty queues.
    /// </summary>
    public async Task<IReadOnlyList<QueueState>?> QueuesAsync(IReadOnlyList<string> named)
    {
        if (_node is null)
            return [.. await Task.WhenAll(named.Select(ReadyOnlyAsync))];
        int code;
        string output;
        try
        {
            (code, output) = await _node.CtlAsync(["list_queues", "name", "messages_ready", "messages_unacknowledged", "consumers", "--quiet", "--no-table-headers"], TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            return null;
        }

        if (code != 0)
            return null;
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 4 && !parts[0].StartsWith("bench", StringComparison.Ordinal))
            .Select(parts => new QueueState(parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture)))];
    }

    async Task<QueueState> ReadyOnlyAsync(string queue)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = Amqp };
            await using var connection = await factory.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            return new QueueState(queue, (await channel.QueueDeclarePassiveAsync(queue)).MessageCount, null, null);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return new QueueState(queue, 0, null, null);
        }
    }

    /// <summary>
    /// Stops what this run started, once: a SIGTERM's handler and the run's own end (which the signal brings about) both
    /// call it, and the second waits for the first instead of touching processes the first has disposed.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_stopGate)
            _stopping ??= StopAllAsync();
        return new ValueTask(_stopping);
    }

    readonly Lock _stopGate = new();
    Task? _stopping;

    async Task StopAllAsync()
    {
        if (_second is not null)
            await _second.DisposeAsync();
        if (_host is not null)
            await _host.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        if (_node is not null)
            await _node.DisposeAsync();
    }
}
