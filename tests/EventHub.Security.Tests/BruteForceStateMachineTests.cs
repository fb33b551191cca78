using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using EventHub.Security.EvaluateRules;
using static EventHub.Security.Tests.Entries;

namespace EventHub.Security.Tests;

/// <summary>Brute force on one account (the built-in rule brute_force), in the test harness with stored state: defaults 10 failures in 5 minutes.</summary>
public sealed class BruteForceStateMachineTests : IAsyncLifetime
{
    const string Detection = "brute_force";
    SecurityHarness _hub = null!;

    public async ValueTask InitializeAsync() => _hub = await SecurityHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    static Guid Correlate(Auth0LogEntry entry) => SecurityKeys.Correlate(Detection, entry.Source, SecurityKeys.User(entry));

    static Auth0LogEntry[] Burst(int count, DateTimeOffset start, TimeSpan every, string user = "auth0|alice", string ip = "203.0.113.7") =>
        [.. Enumerable.Range(0, count).Select(i => Failure(start + every * i, user, ip, i % 3 == 0 ? "fp" : "f"))];

    [Fact]
    public async Task Should_alert_once_when_ten_failures_fall_within_five_minutes()
    {
        var failures = Burst(10, T0, TimeSpan.FromSeconds(30));

        await _hub.PublishInOrderAsync(failures[..9]);
        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        await _hub.PublishInOrderAsync(failures[9]);

        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        Assert.Equal("eventhub.security", alert.Source);
        Assert.Equal(failures[9].OccurredAt, alert.OccurredAt);
        var payload = JsonNode.Parse(alert.Payload)!;
        Assert.Equal("auth0|alice", payload["user"]!.GetValue<string>());
        Assert.Equal(10, payload["count"]!.GetValue<int>());
        Assert.Equal(T0, payload["first"]!.GetValue<DateTimeOffset>());
        Assert.Equal(T0.AddSeconds(270), payload["last"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["203.0.113.7"], payload["ips"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(["f", "fp"], payload["codes"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(failures.Select(f => f.EventId), payload["logIds"]!.AsArray().Select(i => i!.GetValue<string>()));
        var stored = await _hub.StoredAsync<CorrelationState>(Correlate(failures[0]));
        Assert.NotNull(stored!.Burst.Alert);
    }

    [Fact]
    public async Task Should_not_alert_when_the_failures_spread_over_more_than_the_window()
    {
        await _hub.PublishInOrderAsync(Burst(12, T0, TimeSpan.FromSeconds(40)));

        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
    }

    [Fact]
    public async Task Should_raise_one_alert_per_episode_not_one_per_failure()
    {
        await _hub.PublishInOrderAsync(Burst(30, T0, TimeSpan.FromSeconds(5)));

        Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
    }

    [Fact]
    public async Task Should_start_counting_again_after_a_successful_login()
    {
        await _hub.PublishInOrderAsync(Burst(9, T0, TimeSpan.FromSeconds(10)));
        await _hub.PublishInOrderAsync(Success(T0.AddSeconds(95)));
        await _hub.PublishInOrderAsync(Burst(9, T0.AddSeconds(100), TimeSpan.FromSeconds(10)));

        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        await _hub.PublishInOrderAsync(Failure(T0.AddSeconds(200)));
        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        Assert.Equal(T0.AddSeconds(100), JsonNode.Parse(alert.Payload)!["first"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Should_alert_again_for_a_new_episode_after_a_success_or_a_quiet_window()
    {
        await _hub.PublishInOrderAsync(Burst(10, T0, TimeSpan.FromSeconds(10)));
        await _hub.PublishInOrderAsync(Success(T0.AddMinutes(3)));
        await _hub.PublishInOrderAsync(Burst(10, T0.AddMinutes(4), TimeSpan.FromSeconds(10)));
        await _hub.PublishInOrderAsync(Burst(10, T0.AddMinutes(20), TimeSpan.FromSeconds(10)));

        var alerts = await _hub.AlertsAsync(SecurityAlerts.BruteForce);
        Assert.Equal(3, alerts.Count);
        Assert.Equal(3, alerts.Select(a => a.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Should_judge_by_the_entries_dates_whatever_order_they_arrive_in()
    {
        var failures = Burst(10, T0, TimeSpan.FromSeconds(25));
        var shuffled = failures.OrderBy(f => f.EventId, StringComparer.Ordinal).ToArray();
        var latecomers = Burst(9, T0.AddHours(1), TimeSpan.FromSeconds(100), user: "auth0|bob");

        await _hub.PublishInOrderAsync(shuffled);
        await _hub.PublishInOrderAsync([.. latecomers.Reverse()]);

        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        var payload = JsonNode.Parse(alert.Payload)!;
        Assert.Equal("auth0|alice", payload["user"]!.GetValue<string>());
        Assert.Equal((T0, T0.AddSeconds(225)), (payload["first"]!.GetValue<DateTimeOffset>(), payload["last"]!.GetValue<DateTimeOffset>()));
    }

    [Fact]
    public async Task Should_ignore_a_late_success_for_failures_that_came_after_it()
    {
        var failures = Burst(10, T0.AddMinutes(1), TimeSpan.FromSeconds(10));

        await _hub.PublishInOrderAsync(failures[..5]);
        await _hub.PublishInOrderAsync(Success(T0));
        await _hub.PublishInOrderAsync(failures[5..]);

        Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
    }

    [Fact]
    public async Task Should_count_a_resent_entry_once()
    {
        var failures = Burst(9, T0, TimeSpan.FromSeconds(10));

        await _hub.PublishInOrderAsync(failures);
        await _hub.PublishInOrderAsync(failures);
        await _hub.PublishInOrderAsync(failures[0], failures[4]);

        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        var stored = await _hub.StoredAsync<CorrelationState>(Correlate(failures[0]));
        Assert.Equal(9, stored!.Burst.Attempts.Count);
    }

    [Fact]
    public async Task Should_not_alert_again_when_auth0_resends_the_trigger()
    {
        var failures = Burst(10, T0, TimeSpan.FromSeconds(10));
        await _hub.PublishInOrderAsync(failures);

        await _hub.PublishInOrderAsync(failures[9], failures[3]);

        Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
    }

    [Fact]
    public async Task Should_let_failures_leave_the_window_by_their_dates()
    {
        await _hub.PublishInOrderAsync(Burst(9, T0, TimeSpan.FromSeconds(10)));
        _hub.Time.Advance(TimeSpan.FromHours(1));
        await _hub.PublishInOrderAsync(Failure(T0.AddMinutes(6)));
        await _hub.PublishInOrderAsync(Burst(8, T0.AddMinutes(7), TimeSpan.FromSeconds(10)));

        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        await _hub.PublishInOrderAsync(Failure(T0.AddMinutes(9)));
        Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
    }

    [Fact]
    public async Task Should_key_users_without_an_id_by_connection_and_name_and_skip_entries_without_either()
    {
        var anonymous = Create("f", T0, user: null, ip: "203.0.113.9");
        await _hub.PublishInOrderAsync(anonymous);
        var byName = Enumerable.Range(0, 10).Select(i => Create("fu", T0.AddSeconds(i), user: null, ip: "203.0.113.9") with { UserName = i % 2 == 0 ? "Eve@Example.com" : "eve@example.com" }).ToArray();
        await _hub.PublishInOrderAsync(byName);

        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        Assert.Equal("Username-Password-Authentication/eve@example.com", JsonNode.Parse(alert.Payload)!["user"]!.GetValue<string>());
        Assert.Null(await _hub.StoredAsync<CorrelationState>(SecurityKeys.Correlate(Detection, Source, null)));
    }

    [Fact]
    public async Task Should_set_an_expiry_on_the_stored_state_from_the_clock()
    {
        var failure = Failure(T0);
        await _hub.PublishInOrderAsync(failure);

        var stored = await _hub.StoredAsync<CorrelationState>(Correlate(failure));
        Assert.Equal(Entries.T0 + new SecurityOptions().StateRetention, stored!.ExpiresAt);
    }

    [Fact]
    public async Task Should_lose_no_failure_when_they_are_consumed_concurrently()
    {
        // Entries are consumed in batches, one at a time per copy: concurrent saves of one group come from two copies.
        await using var second = await SecurityHarness.StartAsync(database: _hub.DatabaseFile);
        var failures = Burst(10, T0, TimeSpan.FromSeconds(10));
        var almost = Burst(9, T0, TimeSpan.FromSeconds(10), user: "auth0|bob");

        await Task.WhenAll(_hub.PublishAtOnceAsync([.. failures, .. almost]), second.PublishAtOnceAsync(almost));

        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        Assert.Equal(10, JsonNode.Parse(alert.Payload)!["count"]!.GetValue<int>());
        var stored = await _hub.StoredAsync<CorrelationState>(Correlate(almost[0]));
        Assert.Equal(9, stored!.Burst.Attempts.Count);
        Assert.True(stored.Version > 1);
    }

    [Fact]
    public async Task Should_count_onto_what_another_copy_saved_since_this_copy_last_saved_the_account()
    {
        // Each copy keeps the states it saved last (CorrelationTracker); the other copy's save in between must not be lost.
        await using var second = await SecurityHarness.StartAsync(database: _hub.DatabaseFile);
        var failures = Burst(10, T0, TimeSpan.FromSeconds(10));

        await _hub.PublishInOrderAsync(failures[..4]);
        await second.PublishInOrderAsync(failures[4..8]);
        await _hub.PublishInOrderAsync(failures[8..]);

        // The tenth failure is counted by the first copy, onto the eight the database holds, not the four it saved itself.
        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        Assert.Empty(await second.AlertsAsync(SecurityAlerts.BruteForce));
        Assert.Equal(10, JsonNode.Parse(alert.Payload)!["count"]!.GetValue<int>());
        var stored = await _hub.StoredAsync<CorrelationState>(Correlate(failures[0]));
        Assert.Equal(10, stored!.Version);
    }

    [Fact]
    public async Task Should_forget_a_kept_state_in_memory_once_it_expires_as_the_database_does()
    {
        var tracker = _hub.Services.GetRequiredService<CorrelationTracker>();
        var failure = Failure(T0);
        await _hub.PublishInOrderAsync(failure);
        var stored = await _hub.StoredAsync<CorrelationState>(Correlate(failure));
        // The account's brute-force group and the groups of the other rules the failure counts in.
        var kept = tracker.KeptStates;
        Assert.True(kept > 0);

        _hub.Time.Advance(stored!.ExpiresAt!.Value - _hub.Time.GetUtcNow() - TimeSpan.FromMinutes(2));
        Assert.Equal(kept, tracker.KeptStates);
        _hub.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(0, tracker.KeptStates);
    }
}
