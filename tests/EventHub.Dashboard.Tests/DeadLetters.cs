using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Dashboard.Tests;

/// <summary>A webhook listener (registered with the given key, which owns it) whose receiver fails, and an event that became its dead letter (one attempt, then dead).</summary>
internal sealed record DeadLetter(string ListenerId, string EventId, WebhookReceiver Receiver) : IAsyncDisposable
{
    public static async Task<DeadLetter> CreateAsync(DashboardHub hub, string name, string key = DashboardHub.AdminKey)
    {
        var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 503;
        var cancellationToken = TestContext.Current.CancellationToken;
        using var owner = new HttpClient { BaseAddress = hub.BaseAddress };
        owner.DefaultRequestHeaders.Add("X-EventHub-Key", key);
        using var registered = await owner.PostAsJsonAsync("/v1/listeners", new
        {
            name,
            events = new[] { $"{name}.#" },
            delivery = new { type = "webhook", url = receiver.Url },
            retry = new { maxAttempts = 1 },
        }, cancellationToken);
        registered.EnsureSuccessStatusCode();
        var listenerId = (await registered.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<string>();
        var eventId = await hub.EmitAsync($"{name}.happened", new { order = 42, reason = "a receiver that fails first" });
        await Eventually.UntilAsync(
            async () => (await owner.GetFromJsonAsync<JsonObject>($"/v1/listeners/{listenerId}/dead-letters", cancellationToken))!["items"]!.AsArray().Count,
            count => count == 1,
            what: "the event to become a dead letter");
        return new DeadLetter(listenerId, eventId, receiver);
    }

    public ValueTask DisposeAsync() => Receiver.DisposeAsync();
}
