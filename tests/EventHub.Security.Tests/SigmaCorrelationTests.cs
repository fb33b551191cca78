using System.Text.Json.Nodes;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.EvaluateRules;
using EventHub.Storage.Sagas;
using Microsoft.Extensions.DependencyInjection;
using static EventHub.Security.Tests.Entries;

namespace EventHub.Security.Tests;

/// <summary>
/// The Sigma rules in the test harness with their correlation state in a real SQLite file: the built-in push-fatigue
/// correlation (five pushes to one user within 30 minutes) and single-entry rules.
/// </summary>
public sealed class SigmaCorrelationTests : IAsyncLifetime
{
    const string Fatigue = SigmaDetection.NamePrefix + "push_notification_fatigue";
    SecurityHarness _hub = null!;

    public async ValueTask InitializeAsync() => _hub = await SecurityHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    static Auth0LogEntry[] Pushes(int count, DateTimeOffset start, TimeSpan every, string user = "auth0|alice") =>
        [.. Enumerable.Range(0, count).Select(i => Create("gd_send_pn", start + every * i, user, "203.0.113.7"))];

    [Fact]
    public async Task Should_alert_once_per_episode_whatever_the_order_and_however_often_entries_are_resent()
    {
        var pushes = Pushes(8, T0, TimeSpan.FromMinutes(2));
        var shuffled = pushes.OrderBy(p => p.EventId, StringComparer.Ordinal).ToArray();

        await _hub.PublishInOrderAsync(shuffled[..3]);
        await _hub.PublishInOrderAsync(shuffled[..3]);
        Assert.Empty(await _hub.AlertsAsync(Fatigue));
        await _hub.PublishInOrderAsync(shuffled[3..]);
        await _hub.PublishInOrderAsync(shuffled);

        var alert = Assert.IsType<SigmaDetection>(Assert.Single(await _hub.AlertsAsync(Fatigue)));
        Assert.Equal(("push_notification_fatigue", "high", "event_count", Source), (alert.RuleName, alert.Level, alert.Correlation, alert.LogSource));
        Assert.Equal("auth0|alice", alert.GroupBy["data.user_id"]);
        Assert.Equal(5, alert.LogIds.Count);
        Assert.Subset(pushes.Select(p => p.EventId).ToHashSet(), alert.LogIds.ToHashSet());
        Assert.Contains("Auth0.PushNotification.Fatigue", alert.Equivalents);
        var payload = JsonNode.Parse(alert.Payload)!;
        Assert.Equal("auth0|alice", payload["groupBy"]!["data.user_id"]!.GetValue<string>());
        Assert.Equal(alert.LogIds, payload["logIds"]!.AsArray().Select(i => i!.GetValue<string>()));
    }

    [Fact]
    public async Task Should_not_alert_when_the_entries_spread_over_more_than_the_timespan_or_belong_to_different_groups()
    {
        await _hub.PublishInOrderAsync([.. Pushes(6, T0, TimeSpan.FromMinutes(8)).Reverse()]);
        await _hub.PublishInOrderAsync([.. Enumerable.Range(0, 6).Select(i => Create("gd_send_pn", T0.AddHours(2).AddSeconds(i), $"auth0|user-{i}", "203.0.113.7"))]);

        Assert.Empty(await _hub.AlertsAsync(Fatigue));
    }

    [Fact]
    public async Task Should_alert_again_for_a_new_episode_after_a_quiet_timespan()
    {
        await _hub.PublishInOrderAsync(Pushes(5, T0, TimeSpan.FromMinutes(1)));
        await _hub.PublishInOrderAsync(Pushes(5, T0.AddHours(3), TimeSpan.FromMinutes(1)));

        var alerts = await _hub.AlertsAsync(Fatigue);
        Assert.Equal(2, alerts.Select(a => a.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Should_keep_one_group_state_bounded_under_a_flood()
    {
        var flood = Pushes(300, T0, TimeSpan.FromSeconds(1));

        await _hub.PublishInOrderAsync(flood);

        Assert.Single(await _hub.AlertsAsync(Fatigue));
        var store = _hub.Services.GetRequiredService<SagaStore<CorrelationState>>();
        var state = Assert.Single(await store.QueryAsync(_ => true, TestContext.Current.CancellationToken));
        Assert.InRange(state.Burst.Attempts.Count, 5, 10);
    }

    [Fact]
    public async Task Should_keep_a_value_count_group_to_a_few_entries_per_value_when_its_values_repeat()
    {
        // Cross-origin failures from one IP: ten user names within 10 minutes alert, three repeated for ever never do,
        // and their stored group must not grow with every entry (it is loaded and saved with every batch).
        var repeats = Enumerable.Range(0, 600).Select(i => Create("fcoa", T0.AddSeconds(i % 7 * 30), $"auth0|user-{i % 3}", "203.0.113.9")).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await _hub.PublishAtOnceAsync(repeats);

        TestContext.Current.TestOutputHelper?.WriteLine($"{repeats.Length} entries counted in {clock.ElapsedMilliseconds} ms");
        Assert.Empty(await _hub.AlertsAsync(SigmaDetection.NamePrefix + "cross_origin_credential_stuffing"));
        var store = _hub.Services.GetRequiredService<SagaStore<CorrelationState>>();
        // The failures also count into the built-in brute_force and credential_stuffing groups: this is the cross-origin one.
        var state = Assert.Single(await store.QueryAsync(s => s.RuleId == "ffc940c1-174c-53dd-9b07-f191fbed7259", TestContext.Current.CancellationToken));
        Assert.InRange(state.Burst.Attempts.Count, 3, 9);
    }

    [Fact]
    public async Task Should_count_a_flood_into_one_group_with_fewer_saves_than_entries()
    {
        var flood = Pushes(300, T0, TimeSpan.FromSeconds(1), user: "auth0|flooded");

        await _hub.PublishAtOnceAsync(flood);

        Assert.Single(await _hub.AlertsAsync(Fatigue));
        var store = _hub.Services.GetRequiredService<SagaStore<CorrelationState>>();
        var state = Assert.Single(await store.QueryAsync(_ => true, TestContext.Current.CancellationToken));
        // The version counts the saves: a batch of entries is one load and one save of its group.
        TestContext.Current.TestOutputHelper?.WriteLine($"{flood.Length} entries, {state.Version} saves");
        Assert.InRange(state.Version, 1, flood.Length - 1);
    }

    [Fact]
    public async Task Should_alert_on_a_single_entry_rule_with_an_id_a_resent_entry_repeats()
    {
        var leak = Create("pwd_leak", T0, "auth0|bob", "203.0.113.9");

        await _hub.PublishInOrderAsync(leak, leak);

        var alerts = await _hub.AlertsAsync(SigmaDetection.NamePrefix + "leaked_password_login");
        Assert.Equal(2, alerts.Count);
        Assert.Single(alerts.Select(a => a.EventId).Distinct());
        var alert = Assert.IsType<SigmaDetection>(alerts[0]);
        Assert.Equal([leak.EventId], alert.LogIds);
        Assert.Equal(["selection"], alert.Selections);
        Assert.Null(alert.Correlation);
    }

    [Fact]
    public async Task Should_count_once_into_shared_state_when_two_host_copies_take_the_entries()
    {
        await using var second = await SecurityHarness.StartAsync(database: _hub.Services.GetRequiredService<EventHub.Storage.StorageOptions>().ConnectionString.Split(';')[0]["Data Source=".Length..]);
        var pushes = Pushes(10, T0, TimeSpan.FromSeconds(30));

        await Task.WhenAll(
            _hub.PublishAtOnceAsync([.. pushes.Where((_, i) => i % 2 == 0), pushes[1]]),
            second.PublishAtOnceAsync([.. pushes.Where((_, i) => i % 2 == 1), pushes[0]]));

        var alerts = (await _hub.AlertsAsync(Fatigue)).Concat(await second.AlertsAsync(Fatigue)).ToList();
        Assert.Single(alerts);
        var store = _hub.Services.GetRequiredService<SagaStore<CorrelationState>>();
        var state = Assert.Single(await store.QueryAsync(_ => true, TestContext.Current.CancellationToken));
        Assert.Equal(alerts[0].EventId, state.Burst.Alert!.EventId);
    }
}
