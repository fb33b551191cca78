using System.Text.Json.Nodes;
using EventHub.Security.Detection;
using static EventHub.Security.Tests.Entries;

namespace EventHub.Security.Tests;

/// <summary>Breached passwords, in the test harness with stored instances: an alert at once, once per user and day.</summary>
public sealed class BreachedPasswordStateMachineTests : IAsyncLifetime
{
    SecurityHarness _hub = null!;

    public async ValueTask InitializeAsync() => _hub = await SecurityHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Should_alert_at_once_for_each_breached_password_code()
    {
        await _hub.PublishInOrderAsync(
            Create("pwd_leak", T0, "auth0|a", "203.0.113.1"),
            Create("signup_pwd_leak", T0, "auth0|b", "203.0.113.2"),
            Create("reset_pwd_leak", T0, "auth0|c", "203.0.113.3"));

        var alerts = await _hub.AlertsAsync(SecurityAlerts.BreachedPassword);
        Assert.Equal(["auth0|a", "auth0|b", "auth0|c"], alerts.Select(a => JsonNode.Parse(a.Payload)!["user"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(["pwd_leak", "reset_pwd_leak", "signup_pwd_leak"], alerts.Select(a => JsonNode.Parse(a.Payload)!["code"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_alert_once_per_user_and_day_of_the_entries_dates()
    {
        var first = Create("pwd_leak", T0, "auth0|a", "203.0.113.1");

        await _hub.PublishInOrderAsync(first, Create("pwd_leak", T0.AddHours(5), "auth0|a", "203.0.113.9"), first, Create("reset_pwd_leak", T0.AddHours(13).AddMinutes(59), "auth0|a", "203.0.113.1"));
        Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BreachedPassword));
        await _hub.PublishInOrderAsync(Create("pwd_leak", T0.AddHours(14), "auth0|a", "203.0.113.1"), Create("pwd_leak", T0.AddHours(-11), "auth0|a", "203.0.113.1"));

        var alerts = await _hub.AlertsAsync(SecurityAlerts.BreachedPassword);
        Assert.Equal(["2026-11-19", "2026-11-20", "2026-11-21"], alerts.Select(a => JsonNode.Parse(a.Payload)!["day"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(3, alerts.Select(a => a.EventId).Distinct().Count());
    }
}
