using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventHub.Integration.Tests;

/// <summary>
/// Every blocked address range is refused when a webhook is registered or changed (the same check,
/// <c>TargetGuard.IsPrivate</c>, runs again when a delivery connects; its cases are in the listeners' unit tests).
/// </summary>
public sealed class BlockedTargetTests : IAsyncDisposable
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("168.63.129.16")]
    [InlineData("192.0.0.170")]
    [InlineData("198.18.0.1")]
    [InlineData("[::1]")]
    [InlineData("[::a9fe:a9fe]")]
    [InlineData("[64:ff9b::a9fe:a9fe]")]
    [InlineData("[2002:a9fe:a9fe::1]")]
    [InlineData("[fd00::1]")]
    [InlineData("[::ffff:169.254.169.254]")]
    public async Task A_webhook_on_a_blocked_address_is_refused_at_registration_and_on_change(string host)
    {
        var url = $"http://{host}/hook";
        var registered = await _hub.Http.PostAsJsonAsync("/v1/listeners", new { name = "inside", events = new[] { "order.*" }, delivery = new { type = "webhook", url } }, Cancel);
        var pull = await _hub.Http.PostAsJsonAsync("/v1/listeners", new { name = "pulled", events = new[] { "order.*" }, delivery = new { type = "pull" } }, Cancel);
        var id = (await pull.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["id"]!.GetValue<string>();
        var changed = await _hub.Http.PatchAsJsonAsync($"/v1/listeners/{id}", new { delivery = new { type = "webhook", url } }, Cancel);

        foreach (var refused in new[] { registered, changed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("delivery.url", (await refused.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["field"]!.GetValue<string>());
        }
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
