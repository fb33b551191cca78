using System.Net;
using System.Text.Json.Nodes;

namespace EventHub.Client.Tests;

/// <summary>The SDK's detection calls against the real host (a process on RabbitMQ and PostgreSQL).</summary>
public sealed class DetectionsTests(ProductionHub hub) : IClassFixture<ProductionHub>
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_list_the_built_in_rules_with_their_equivalents_and_alert_names()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);

        var detections = await client.GetDetectionsAsync(Cancel);

        Assert.Equal(detections.Rules.Count, detections.Loaded);
        Assert.Empty(detections.Refused);
        var fatigue = Assert.Single(detections.Rules, r => r.Name == "push_notification_fatigue");
        Assert.Equal(("event_count", "security.detection.push_notification_fatigue", "high"), (fatigue.Correlation, fatigue.Event, fatigue.Level));
        Assert.Contains("Auth0.PushNotification.Fatigue", fatigue.Equivalents);
        Assert.Contains(detections.Rules, r => r.UsedBy.Contains("push_notification_fatigue"));
    }

    [Fact]
    public async Task Should_test_an_entry_and_name_the_rules_and_selections_that_match()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);

        var leak = await client.TestDetectionsAsync(new JsonObject { ["type"] = "pwd_leak", ["user_id"] = "auth0|sdk" }, "900sdk-leak", Cancel);
        var login = await client.TestDetectionsAsync(new JsonObject { ["type"] = "s", ["user_id"] = "auth0|sdk" }, cancellationToken: Cancel);

        Assert.Equal(("900sdk-leak", "pwd_leak"), (leak.LogId, leak.Type));
        var match = Assert.Single(leak.Matches, m => m.Name == "leaked_password_login");
        Assert.Equal(["selection"], match.Selections);
        Assert.True(match.Alerts);
        Assert.DoesNotContain(login.Matches, m => m.Name == "leaked_password_login");
    }

    [Fact]
    public async Task Should_refuse_a_bad_entry_and_an_unknown_log_id_with_typed_exceptions()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);

        var invalid = await Assert.ThrowsAsync<EventHubValidationException>(() => client.TestDetectionsAsync(new JsonObject { ["type"] = 42 }, cancellationToken: Cancel));
        var missing = await Assert.ThrowsAsync<EventHubNotFoundException>(() => client.TestDetectionsByLogIdAsync("900no-such-entry", Cancel));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("entry.data.type", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
