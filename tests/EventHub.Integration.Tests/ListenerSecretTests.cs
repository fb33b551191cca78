using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>A listener's signing secret is answered once, when it is created or rotated; never by a re-registration or a read.</summary>
public sealed class ListenerSecretTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new(AccessKeys.Settings());
    WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    [Fact]
    public async Task The_secret_is_answered_on_creation_and_rotation_only()
    {
        using var team = _hub.ClientWith(AccessKeys.TeamA);
        var created = await RegisterAsync(team, secret: null);
        var again = await RegisterAsync(team, secret: null);
        var id = created["id"]!.GetValue<string>();
        var read = (await team.GetFromJsonAsync<JsonObject>($"/v1/listeners/{id}", Cancel))!;
        var listed = (await team.GetFromJsonAsync<JsonObject>("/v1/listeners", Cancel))!["items"]![0]!;
        var patched = await team.PatchAsJsonAsync($"/v1/listeners/{id}", new { events = new[] { "order.#" } }, Cancel);
        const string rotatedSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var rotated = await RegisterAsync(team, rotatedSecret);

        Assert.StartsWith("whsec_", created["secret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(again["secret"]);
        Assert.Null(read["secret"]);
        Assert.Null(listed["secret"]);
        Assert.Null((await patched.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["secret"]);
        Assert.Equal(rotatedSecret, rotated["secret"]!.GetValue<string>());
    }

    async Task<JsonObject> RegisterAsync(HttpClient http, string? secret)
    {
        var response = await http.PostAsJsonAsync("/v1/listeners", new { name = "signed", events = new[] { "order.*" }, delivery = new { type = "webhook", url = _receiver.Url, secret } }, Cancel);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _receiver.DisposeAsync();
    }
}
