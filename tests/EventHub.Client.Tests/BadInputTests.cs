using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Client.Tests;

/// <summary>Wrong keys, invalid names, unreachable and silent servers: clear typed exceptions, each within the client's timeout.</summary>
public sealed class BadInputTests(ProductionHub hub) : IClassFixture<ProductionHub>
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Should_refuse_a_wrong_key_with_an_authentication_exception()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress, apiKey: "not-the-key");

        var emit = await Assert.ThrowsAsync<EventHubAuthenticationException>(() => client.EmitAsync("x.y", new { }, Cancel).WaitAsync(Guard, Cancel));
        var on = await Assert.ThrowsAsync<EventHubAuthenticationException>(() => client.OnAsync("x.*", (e, ct) => Task.CompletedTask, cancellationToken: Cancel).WaitAsync(Guard, Cancel));

        Assert.Equal(HttpStatusCode.Unauthorized, emit.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, on.StatusCode);
        Assert.NotNull(emit.Problem);
    }

    [Fact]
    public async Task Should_refuse_a_key_without_the_scope_naming_the_scope()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress, apiKey: Hubs.EmitOnlyKey);

        await client.EmitAsync("sdk.scoped", new { }, Cancel);
        var on = await Assert.ThrowsAsync<EventHubAuthenticationException>(() => client.OnAsync("sdk.*", (e, ct) => Task.CompletedTask, cancellationToken: Cancel).WaitAsync(Guard, Cancel));

        Assert.Equal(HttpStatusCode.Forbidden, on.StatusCode);
        Assert.Equal("listeners:manage", on.Problem?.Scope);
    }

    [Fact]
    public async Task Should_refuse_invalid_names_naming_the_field()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);

        var emit = await Assert.ThrowsAsync<EventHubValidationException>(() => client.EmitAsync("Order Placed", new { }, Cancel));
        var batch = await Assert.ThrowsAsync<EventHubValidationException>(() => client.EmitAsync([new EmitEvent("ok.name", 1), new EmitEvent("auth0.spoofed", 2)], Cancel));
        var on = await Assert.ThrowsAsync<EventHubValidationException>(() => client.OnAsync("Order..*", (e, ct) => Task.CompletedTask, cancellationToken: Cancel));
        var schedule = await Assert.ThrowsAsync<EventHubValidationException>(() => client.OnAsync("ok.*", (e, ct) => Task.CompletedTask, new ListenOptions { RetrySchedule = ["soon"] }, Cancel));

        Assert.Equal("name", emit.Field);
        Assert.Equal(HttpStatusCode.BadRequest, emit.StatusCode);
        Assert.Equal("[1].name", batch.Field);
        Assert.Equal("events[0]", on.Field);
        Assert.Equal("retry.schedule[0]", schedule.Field);
        Assert.Contains("events[0]", on.Message, StringComparison.Ordinal);
        Assert.NotNull(on.Problem?.Errors);
    }

    [Fact]
    public async Task Should_fail_fast_with_unavailable_when_nothing_listens()
    {
        await using var client = Hubs.Client(new Uri($"http://127.0.0.1:{FreePort.Next()}"), timeout: TimeSpan.FromSeconds(5));

        var emit = await Assert.ThrowsAsync<EventHubUnavailableException>(() => client.EmitAsync("x.y", new { }, Cancel).WaitAsync(Guard, Cancel));
        var on = await Assert.ThrowsAsync<EventHubUnavailableException>(() => client.OnAsync("x.*", (e, ct) => Task.CompletedTask, cancellationToken: Cancel).WaitAsync(Guard, Cancel));

        Assert.Contains("could not be reached", emit.Message, StringComparison.Ordinal);
        Assert.Null(on.StatusCode);
    }

    [Fact]
    public async Task Should_honour_the_timeout_when_the_server_accepts_but_never_answers()
    {
        using var silent = new TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                    accepted.Add(await silent.AcceptTcpClientAsync(Cancel));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }, Cancel);
        await using var client = Hubs.Client(new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}"), timeout: TimeSpan.FromSeconds(2));

        var emit = await Assert.ThrowsAsync<EventHubUnavailableException>(() => client.EmitAsync("x.y", new { }, Cancel).WaitAsync(Guard, Cancel));

        Assert.Contains("did not answer within 2 s", emit.Message, StringComparison.Ordinal);
        silent.Stop();
        await accepting;
        accepted.ForEach(c => c.Dispose());
    }

    [Fact]
    public void Should_refuse_options_without_address_or_key()
    {
        var noAddress = Assert.Throws<ArgumentException>(() => new EventHubClient(new EventHubClientOptions { ApiKey = "k" }));
        var noKey = Assert.Throws<ArgumentException>(() => new EventHubClient(new EventHubClientOptions { BaseAddress = new Uri("http://127.0.0.1:1") }));

        Assert.Contains("BaseAddress", noAddress.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKey", noKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_protocol_mistakes_on_the_stream_and_ack_endpoints_with_problems()
    {
        using var http = Hubs.Http(hub.Host);
        var webhook = await http.PostAsJsonAsync("/v1/listeners", new { name = "proto-webhook", events = new[] { "proto.*" }, delivery = new { type = "webhook", url = "http://127.0.0.1:9/hook" } }, Cancel);
        var webhookId = JsonNode.Parse(await webhook.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        var pull = await http.PostAsJsonAsync("/v1/listeners", new { name = "proto-pull", events = new[] { "proto.*" }, delivery = new { type = "pull" } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, pull.StatusCode);
        var pullId = JsonNode.Parse(await pull.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();

        var streamOfWebhook = await http.GetAsync($"/v1/listeners/{webhookId}/stream", HttpCompletionOption.ResponseHeadersRead, Cancel);
        var streamOfNothing = await http.GetAsync("/v1/listeners/nope/stream", HttpCompletionOption.ResponseHeadersRead, Cancel);
        var badInFlight = await http.GetAsync($"/v1/listeners/{pullId}/stream?maxInFlight=0", HttpCompletionOption.ResponseHeadersRead, Cancel);
        var badStatus = await http.PostAsJsonAsync($"/v1/listeners/{pullId}/transactions/e1", new { status = "done" }, Cancel);
        var notInFlight = await http.PostAsJsonAsync($"/v1/listeners/{pullId}/transactions/e1", new { status = "succeeded" }, Cancel);
        var hugeOutput = await http.PostAsJsonAsync($"/v1/listeners/{pullId}/transactions/e1", new { status = "succeeded", output = new string('x', 70_000) }, Cancel);

        Assert.Equal((HttpStatusCode.Conflict, "delivery.type"), (streamOfWebhook.StatusCode, await FieldAsync(streamOfWebhook)));
        Assert.Equal((HttpStatusCode.NotFound, "id"), (streamOfNothing.StatusCode, await FieldAsync(streamOfNothing)));
        Assert.Equal((HttpStatusCode.BadRequest, "maxInFlight"), (badInFlight.StatusCode, await FieldAsync(badInFlight)));
        Assert.Equal((HttpStatusCode.BadRequest, "status"), (badStatus.StatusCode, await FieldAsync(badStatus)));
        Assert.Equal((HttpStatusCode.Conflict, "eventId"), (notInFlight.StatusCode, await FieldAsync(notInFlight)));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "output"), (hugeOutput.StatusCode, await FieldAsync(hugeOutput)));
    }

    static async Task<string?> FieldAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))?["field"]?.GetValue<string>();
}
