using System.Globalization;
using EventHub.TestSupport;

namespace EventHub.Client.Tests;

/// <summary>Hosts for the SDK tests: the real host as a child process, on the assembly's RabbitMQ node and PostgreSQL cluster, or embedded.</summary>
internal static class Hubs
{
    public const string ApiKey = "sdk-test-key-0123456789abcdef0123456789";
    public const string EmitOnlyKey = "sdk-emit-only-key-0123456789abcdef0123";

    public static async Task<Dictionary<string, string>> ProductionAsync(RabbitMqNode node, PostgresCluster postgres)
    {
        var settings = Embedded();
        settings["EventHub__Transport"] = "RabbitMq";
        settings["EventHub__RabbitMq__Host"] = node.Host;
        settings["EventHub__RabbitMq__Port"] = node.Port.ToString(CultureInfo.InvariantCulture);
        // Each fixture's hosts in a virtual host of their own: hosts of two fixtures on one vhost would share store-events
        // and write each other's events into the wrong database.
        settings["EventHub__RabbitMq__VirtualHost"] = await node.CreateVirtualHostAsync();
        settings["EventHub__Database"] = "Postgres";
        settings["ConnectionStrings__EventHub"] = await postgres.CreateDatabaseAsync();
        return settings;
    }

    public static Dictionary<string, string> Embedded() => new()
    {
        ["EventHub__Auth0__Tokens__0"] = "sdk-test-auth0-token",
        ["EventHub__Keys__sdk"] = ApiKey,
        ["EventHub__Keys__sdk__Scopes__0"] = "admin",
        ["EventHub__Keys__sdk-emitter"] = EmitOnlyKey,
        ["EventHub__Keys__sdk-emitter__Scopes__0"] = "emit",
        ["EventHub__Bus__StopTimeout"] = "00:00:02",
        ["EventHub__Listeners__SyncInterval"] = "00:00:00.500",
        ["EventHub__Listeners__RetryPollInterval"] = "00:00:00.200",
        ["EventHub__Listeners__HeartbeatInterval"] = "00:00:02",
        ["EventHub__Listeners__AllowPrivateTargets"] = "true",
        ["ConnectionStrings__EventHub"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-sdk-db-").FullName, "eventhub.db")}",
    };

    public static EventHubClient Client(Uri address, string apiKey = ApiKey, TimeSpan? timeout = null, TimeSpan? shutdownTimeout = null) => new(new EventHubClientOptions
    {
        ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10),
        BaseAddress = address,
        ApiKey = apiKey,
        Timeout = timeout ?? TimeSpan.FromSeconds(20),
        ReconnectDelay = TimeSpan.FromMilliseconds(200),
        MaxReconnectDelay = TimeSpan.FromSeconds(2),
    });

    public static HttpClient Http(HostProcess host)
    {
        var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-EventHub-Key", ApiKey);
        return http;
    }
}
