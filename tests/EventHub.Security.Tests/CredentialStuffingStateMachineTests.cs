using System.Text.Json.Nodes;
using EventHub.Security.Detection;
using static EventHub.Security.Tests.Entries;

namespace EventHub.Security.Tests;

/// <summary>Credential stuffing from one IP, in the test harness with stored instances: defaults 20 distinct users in 10 minutes.</summary>
public sealed class CredentialStuffingStateMachineTests : IAsyncLifetime
{
    SecurityHarness _hub = null!;

    public async ValueTask InitializeAsync() => _hub = await SecurityHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Should_alert_once_when_twenty_users_fail_from_one_ip_within_ten_minutes()
    {
        var failures = Enumerable.Range(0, 25).Select(i => Failure(T0.AddSeconds(i * 20), user: $"auth0|user-{i}", ip: "198.51.100.4")).ToArray();

        await _hub.PublishInOrderAsync(failures[..19]);
        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.CredentialStuffing));
        await _hub.PublishInOrderAsync(failures[19..]);

        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.CredentialStuffing));
        var payload = JsonNode.Parse(alert.Payload)!;
        Assert.Equal("198.51.100.4", payload["ip"]!.GetValue<string>());
        Assert.Equal(20, payload["userCount"]!.GetValue<int>());
        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
    }

    [Fact]
    public async Task Should_count_users_not_failures_and_resent_entries_once()
    {
        var sameUsers = Enumerable.Range(0, 40).Select(i => Failure(T0.AddSeconds(i), user: $"auth0|user-{i % 19}", ip: "198.51.100.5")).ToArray();

        await _hub.PublishInOrderAsync(sameUsers);
        await _hub.PublishInOrderAsync(sameUsers[..5]);

        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.CredentialStuffing));
    }

    [Fact]
    public async Task Should_not_alert_when_the_users_spread_over_more_than_the_window_whatever_the_order()
    {
        var failures = Enumerable.Range(0, 20).Select(i => Failure(T0.AddSeconds(i * 35), user: $"auth0|user-{i}", ip: "198.51.100.6")).ToArray();

        await _hub.PublishInOrderAsync([.. failures.Reverse()]);

        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.CredentialStuffing));
    }
}
