using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>Settings for a host under test, as configuration keys (WebApplicationFactory) or environment variables (child process).</summary>
internal static class HubSettings
{
    public const string Auth0Token = "test-auth0-token";
    public const string EventStreamsToken = "test-event-streams-token";
    public const string ApiKeyName = "tests";
    public const string ApiKey = "test-api-key-0123456789abcdef01234567";

    public static Dictionary<string, string> Embedded() => new()
    {
        ["EventHub:Auth0:Tokens:0"] = Auth0Token,
        ["EventHub:Auth0:EventStreams:Tokens:0"] = EventStreamsToken,
        [$"EventHub:Keys:{ApiKeyName}"] = ApiKey,
        [$"EventHub:Keys:{ApiKeyName}:Scopes:0"] = "admin",
        // Tests dispose hosts right after their last request; a batch still being collected then would hold each stop 20 s.
        ["EventHub:Bus:StopTimeout"] = "00:00:02",
        ["ConnectionStrings:EventHub"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-db-").FullName, "eventhub.db")}",
    };

    /// <summary>RabbitMQ on the given node, in a virtual host of the caller's own (see <see cref="RabbitMqNode.CreateVirtualHostAsync"/>).</summary>
    public static async Task<Dictionary<string, string>> OnRabbitMqAsync(RabbitMqNode node)
    {
        var settings = Embedded();
        settings["EventHub:Transport"] = "RabbitMq";
        settings["EventHub:RabbitMq:Host"] = node.Host;
        settings["EventHub:RabbitMq:Port"] = node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["EventHub:RabbitMq:VirtualHost"] = await node.CreateVirtualHostAsync();
        return settings;
    }

    /// <summary>The virtual host of settings made by <see cref="OnRabbitMqAsync"/> or <see cref="ProductionAsync"/>.</summary>
    public static string VirtualHost(this Dictionary<string, string> settings) =>
        settings.TryGetValue("EventHub:RabbitMq:VirtualHost", out var name) ? name : settings["EventHub__RabbitMq__VirtualHost"];

    /// <summary>The production shape: RabbitMQ and a fresh PostgreSQL database.</summary>
    public static async Task<Dictionary<string, string>> ProductionAsync(RabbitMqNode node, PostgresCluster postgres)
    {
        var settings = await OnRabbitMqAsync(node);
        settings["EventHub:Database"] = "Postgres";
        settings["ConnectionStrings:EventHub"] = await postgres.CreateDatabaseAsync();
        return settings;
    }

    /// <summary>An HTTP client of a host process, sending the tests' API key.</summary>
    public static HttpClient ClientFor(HostProcess host)
    {
        var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-EventHub-Key", ApiKey);
        return http;
    }

    /// <summary>An Auth0 log stream batch, as Auth0 posts it (the token as the whole Authorization value).</summary>
    public static async Task<HttpResponseMessage> PostAuth0Async(this HttpClient http, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", Auth0Token);
        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>Posts Log Stream records to a host process's Auth0 webhook and expects 200.</summary>
    public static async Task PostAuth0Async(this HttpClient http, IEnumerable<System.Text.Json.Nodes.JsonObject> records)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(Auth0Entries.JsonArray(records)) };
        request.Headers.TryAddWithoutValidation("Authorization", Auth0Token);
        var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public static Dictionary<string, string> AsEnvironment(this Dictionary<string, string> settings) =>
        settings.ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);
}
