using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Dashboard.Tests;

/// <summary>
/// Reads need the database, not the broker (docs/adr/0020): with a real RabbitMQ node stopped, the API's event with its
/// transactions and the dashboard's pages, read in process from the modules that own them, still answer.
/// </summary>
public sealed class BrokerStoppedTests : IAsyncLifetime
{
    RabbitMqNode? _node;
    WebhookReceiver? _receiver;

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _node = await RabbitMqNode.StartAsync("eventhub-dashboard");
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_receiver is not null)
            await _receiver.DisposeAsync();
        if (_node is not null)
            await _node.DisposeAsync();
    }

    [Fact]
    public async Task The_event_with_its_transactions_and_the_dashboard_pages_answer_with_the_broker_stopped()
    {
        var settings = DashboardHub.Settings();
        settings["EventHub__Transport"] = "RabbitMq";
        settings["EventHub__RabbitMq__Host"] = _node!.Host;
        settings["EventHub__RabbitMq__Port"] = _node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["EventHub__Bus__StopTimeout"] = "00:00:02";
        await using var host = await HostProcess.StartAsync(settings);
        await host.WaitForOutputAsync("Bus started");
        using var api = new HttpClient { BaseAddress = host.BaseAddress };
        api.DefaultRequestHeaders.Add("X-EventHub-Key", DashboardHub.AdminKey);
        using var registered = await api.PostAsJsonAsync("/v1/listeners", new { name = "stopped-broker", platform = "shop", label = "prod", events = new[] { "parcel.*" }, delivery = new { type = "webhook", url = _receiver!.Url } }, Cancel);
        registered.EnsureSuccessStatusCode();
        var listenerId = (await registered.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["id"]!.GetValue<string>();
        using var emitted = await api.PostAsJsonAsync("/v1/events", new { name = "parcel.shipped", payload = new { parcel = "P-77" } }, Cancel);
        emitted.EnsureSuccessStatusCode();
        var eventId = (await emitted.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["ids"]![0]!.GetValue<string>();
        await Eventually.UntilAsync(() => TransactionStateAsync(api, eventId), state => state == "succeeded", what: "the delivery to be recorded");

        await _node.StopServerAsync();
        var clock = Stopwatch.StartNew();
        Assert.Equal("succeeded", await TransactionStateAsync(api, eventId));
        using var admin = new UiSession(host.BaseAddress);
        await admin.LoginAsync(DashboardHub.AdminKey);
        var eventPage = await PageAsync(admin, $"/ui/events/{eventId}");
        Assert.Contains("stopped-broker", eventPage, StringComparison.Ordinal);
        Assert.Contains("P-77", eventPage, StringComparison.Ordinal);
        Assert.Contains("stopped-broker", await PageAsync(admin, "/ui/listeners"), StringComparison.Ordinal);
        var listenerPage = await PageAsync(admin, $"/ui/listeners/{listenerId}");
        Assert.Contains("parcel.shipped", listenerPage, StringComparison.Ordinal);
        await PageAsync(admin, "/ui/dead-letters");
        await PageAsync(admin, "/ui/auth0");
        TestContext.Current.TestOutputHelper?.WriteLine($"API and five pages read with the broker stopped in {clock.ElapsedMilliseconds} ms");

        // The viewer key sees what the API shows it: not the admin key's listener, nor its transactions on the event page.
        using var viewer = new UiSession(host.BaseAddress);
        await viewer.LoginAsync(DashboardHub.ViewerKey);
        using var notOwned = await viewer.Http.GetAsync($"/ui/listeners/{listenerId}", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, notOwned.StatusCode);
        Assert.DoesNotContain("stopped-broker", await PageAsync(viewer, "/ui/listeners"), StringComparison.Ordinal);
    }

    static async Task<string?> TransactionStateAsync(HttpClient api, string eventId)
    {
        using var response = await api.GetAsync($"/v1/events/{eventId}", Cancel);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        var transactions = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["transactions"]?.AsArray();
        return transactions?.FirstOrDefault()?["state"]?.GetValue<string>();
    }

    static async Task<string> PageAsync(UiSession session, string path)
    {
        using var response = await session.Http.GetAsync(path, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        return body;
    }
}
