using System.Globalization;
using EventHub.Client;
using EventHub.TestSupport;

namespace EventHub.Cli.Tests;

/// <summary>One host process over the assembly's RabbitMQ node (its own virtual host, a SQLite file) shared by a test class.</summary>
public sealed class CliHub(BrokerFixture broker) : IAsyncLifetime
{
    public const string ApiKey = "cli-test-key-0123456789abcdef0123456789";
    public const string Auth0Token = "cli-test-auth0-token";
    HostProcess? _host;

    public HostProcess Host => _host ?? throw new InvalidOperationException("The host did not start.");

    /// <summary>The hub's broker, as another service would be configured to reach it.</summary>
    public string AmqpUri { get; private set; } = "";

    /// <summary>What the CLI needs to reach this hub, as a shell would set it.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["EVENTHUB_URL"] = Host.BaseAddress.ToString(),
        ["EVENTHUB_KEY"] = ApiKey,
        ["EVENTHUB_AUTH0_TOKEN"] = Auth0Token,
        // No config file of the machine's user leaks into a test.
        ["EVENTHUB_CONFIG"] = Path.Combine(Path.GetTempPath(), "eventhub-cli-tests-no-config.json"),
    };

    public async ValueTask InitializeAsync()
    {
        var node = broker.Node;
        var virtualHost = await node.CreateVirtualHostAsync();
        AmqpUri = node.AmqpUriOf(virtualHost);
        _host = await HostProcess.StartAsync(new Dictionary<string, string>
        {
            ["EventHub__Transport"] = "RabbitMq",
            ["EventHub__RabbitMq__Host"] = node.Host,
            ["EventHub__RabbitMq__Port"] = node.Port.ToString(CultureInfo.InvariantCulture),
            ["EventHub__RabbitMq__VirtualHost"] = virtualHost,
            ["EventHub__Auth0__Tokens__0"] = Auth0Token,
            ["EventHub__Keys__cli"] = ApiKey,
            ["EventHub__Keys__cli__Scopes__0"] = "admin",
            ["EventHub__Bus__StopTimeout"] = "00:00:02",
            ["EventHub__Listeners__SyncInterval"] = "00:00:00.500",
            ["EventHub__Listeners__RetryPollInterval"] = "00:00:00.200",
            ["EventHub__Listeners__HeartbeatInterval"] = "00:00:02",
            ["ConnectionStrings__EventHub"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-cli-db-").FullName, "eventhub.db")}",
        });
        // The host serves before its bus has started (503 to emits until then): a class's first emit should not race it.
        await _host.WaitForOutputAsync("Bus started");
    }

    public EventHubClient Client() => new(new EventHubClientOptions { BaseAddress = Host.BaseAddress, ApiKey = ApiKey, ReconnectDelay = TimeSpan.FromMilliseconds(200) });

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }
}
