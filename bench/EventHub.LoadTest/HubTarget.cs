using EventHub.TestSupport;
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

    public required Uri BaseAddress { get; init; }

    public required Uri Amqp { get; init; }

    public required string Auth0Token { get; init; }

    public required string ApiKey { get; init; }

    public required string Profile { get; init; }

    public int? HostPid => _host?.Id;

    public int? BrokerPid => _node?.ServerPid;

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
                settings["ConnectionStrings__EventHub"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-bench-db-").FullName, "eventhub.db")}";
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

    /// <summary>Messages ready or unacked in a queue, or null when it cannot be read.</summary>
    public async Task<uint?> QueueDepthAsync(string queue)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = Amqp };
            await using var connection = await factory.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        if (_node is not null)
            await _node.DisposeAsync();
    }
}
