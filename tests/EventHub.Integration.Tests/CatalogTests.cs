using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.Contracts.Auth0;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>GET /v1/catalog on the real host (in-memory bus, SQLite): every known name with its contract's schema, and emitted names with inferred schemas.</summary>
public sealed class CatalogTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    [Fact]
    public async Task Lists_every_auth0_log_type_code_with_a_schema_of_every_field_of_its_record()
    {
        var catalog = await CatalogAsync();

        var types = catalog["auth0LogTypes"]!.AsArray();
        var table = File.ReadAllLines(Path.Combine(HostProcess.RepositoryRoot(), "src", "EventHub.Contracts", "Auth0", "Auth0LogTypes.tsv")).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(186, table.Count);
        Assert.Equal(table.Select(l => l.Split('\t')[0]).Order(StringComparer.Ordinal), types.Select(t => t!["code"]!.GetValue<string>()));
        foreach (var type in types)
        {
            var logType = Auth0LogTypes.ByCode[type!["code"]!.GetValue<string>()];
            Assert.Equal(logType.EventName, type["name"]!.GetValue<string>());
            Assert.Equal(logType.Group, type["group"]!.GetValue<string>());
            Assert.Equal(logType.Title, type["description"]!.GetValue<string>());
            Assert.Equal(logType.ContractType.FullName, type["contract"]!.GetValue<string>());
            // Kept current by construction (generated from the record) and checked here: a field added to the records is in every schema.
            Assert.Equal(JsonFields(logType.ContractType), PropertiesOf(type["schema"]!));
        }

        var login = types.Single(t => t!["code"]!.GetValue<string>() == "f")!;
        Assert.Contains("IAuth0LoginFailure", login["interfaces"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Contains(catalog["auth0EventStreams"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "auth0.events.user.created" && PropertiesOf(e["schema"]!).Count > 0);
        var alerts = catalog["securityAlerts"]!.AsArray();
        Assert.Equal(4, alerts.Count);
        foreach (var contract in new[] { typeof(EventHub.Contracts.Security.BruteForceDetected), typeof(EventHub.Contracts.Security.CredentialStuffingDetected), typeof(EventHub.Contracts.Security.BreachedPasswordDetected), typeof(EventHub.Contracts.Security.SigmaDetection) })
        {
            var alert = Assert.Single(alerts, a => a!["contract"]!.GetValue<string>() == contract.FullName)!;
            Assert.Equal(["ISecurityAlert"], alert["interfaces"]!.AsArray().Select(i => i!.GetValue<string>()));
            Assert.Equal(JsonFields(contract), PropertiesOf(alert["schema"]!));
        }

        Assert.Contains(alerts, a => a!["name"]!.GetValue<string>() == "security.brute_force.detected" && PropertiesOf(a["schema"]!).Contains("ips"));
        Assert.Contains(catalog["listenerEvents"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "listener.paused");
    }

    [Fact]
    public async Task Lists_an_emitted_name_with_its_count_and_a_schema_inferred_from_its_payloads()
    {
        await EmitAsync("""[{"name":"catalog.order.placed","payload":{"order":1,"customer":"ada"}},{"name":"catalog.order.placed","payload":{"order":2,"customer":"bob","coupon":"WINTER"}}]""");
        await Eventually.UntilAsync(() => _hub.Http.GetStringAsync("/v1/events?name=catalog.%23", Cancel), page => JsonNode.Parse(page)!["items"]!.AsArray().Count == 2, what: "both events in the log");

        var catalog = await CatalogAsync();

        var emitted = Assert.Single(catalog["emitted"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "catalog.order.placed")!;
        Assert.Equal(2, emitted["count"]!.GetValue<long>());
        Assert.True(emitted["firstSeen"]!.GetValue<DateTimeOffset>() <= emitted["lastSeen"]!.GetValue<DateTimeOffset>());
        var schema = emitted["schema"]!;
        Assert.Equal(["coupon", "customer", "order"], PropertiesOf(schema));
        Assert.Equal("integer", schema["properties"]!["order"]!["type"]!.GetValue<string>());
        Assert.Equal("string", schema["properties"]!["customer"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain(catalog["emitted"]!.AsArray(), e => e!["name"]!.GetValue<string>().StartsWith("auth0.", StringComparison.Ordinal));
        Console.WriteLine(emitted.ToJsonString());
    }

    [Fact]
    public async Task Needs_an_api_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _hub.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/catalog") { Headers = { { "X-EventHub-Key", "wrong" } } }, Cancel)).StatusCode);
    }

    async Task<JsonNode> CatalogAsync()
    {
        var response = await _hub.Http.GetAsync("/v1/catalog", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
    }

    async Task EmitAsync(string body)
    {
        var response = await _hub.Http.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    static List<string> JsonFields(Type contract) =>
        [.. contract.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Where(n => n != "equalityContract").Order(StringComparer.Ordinal)];

    static List<string> PropertiesOf(JsonNode schema) =>
        [.. (schema["properties"]?.AsObject() ?? []).Select(p => p.Key).Order(StringComparer.Ordinal)];
}
