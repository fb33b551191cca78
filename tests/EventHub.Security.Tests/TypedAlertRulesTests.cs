using EventHub.Composition.Switches;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using EventHub.Security.DetectionsApi;
using EventHub.Security.EvaluateRules;
using EventHub.Security.Rules;
using EventHub.Storage.Sagas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static EventHub.Security.Tests.Entries;

namespace EventHub.Security.Tests;

/// <summary>
/// Brute force, credential stuffing and breached password are built-in Sigma correlations that name their typed alert
/// (<c>alert: brute_force</c>): the same contracts, ids and settings as the state machines they replaced.
/// </summary>
public sealed class TypedAlertRulesTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static Auth0LogEntry[] Burst(int count, string user = "auth0|alice", string ip = "203.0.113.7") =>
        [.. Enumerable.Range(0, count).Select(i => Failure(T0.AddSeconds(i * 10), user, ip))];

    [Fact]
    public async Task Should_deliver_the_brute_force_rules_alert_to_a_consumer_of_BruteForceDetected_with_the_id_it_always_had()
    {
        await using var hub = await SecurityHarness.StartAsync(consumers: bus => bus.AddConsumer<TypedAlertsTests.BruteForceConsumer>());
        var failures = Burst(10, user: "auth0|rule-consumer");

        await hub.PublishInOrderAsync(failures);

        Assert.True(await hub.Harness.GetConsumerHarness<TypedAlertsTests.BruteForceConsumer>().Consumed.Any<BruteForceDetected>(Cancel));
        var alert = Assert.Single(TypedAlertsTests.BruteForceConsumer.Seen.Values, a => a.User == "auth0|rule-consumer");
        var group = SecurityKeys.Correlate("brute_force", Source, "auth0|rule-consumer");
        Assert.Equal(SecurityKeys.AlertId("brute_force", group, $"0\n{failures[9].EventId}"), alert.EventId);
        Assert.Equal((10, TimeSpan.FromMinutes(5)), (alert.Threshold, alert.Window));
        var rules = hub.Services.GetRequiredService<DetectionRules>();
        Assert.Equal((10L, 1L), (rules.Counters("failed_logins").Matches, rules.Counters("brute_force").Alerts));
        Assert.DoesNotContain(hub.Harness.Published.Select<SigmaDetection>(Cancel), p => p.Context.Message.RuleName.StartsWith("brute_force", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_raise_nothing_and_keep_no_state_for_a_detection_switched_off_by_its_setting()
    {
        var off = new HubSwitches { BruteForce = false, CredentialStuffing = false, BreachedPassword = false };
        var options = new SecurityOptions { CredentialStuffing = new BurstOptions { Threshold = 2, Window = TimeSpan.FromMinutes(10) } };
        await using var hub = await SecurityHarness.StartAsync(options, switches: off);

        await hub.PublishInOrderAsync([.. Burst(10), Failure(T0, user: "auth0|bob"), Success(T0.AddMinutes(1)), Create("pwd_leak", T0, "auth0|leaky", "203.0.113.51")]);

        Assert.Empty(await hub.AlertsAsync(BruteForceDetected.EventName));
        Assert.Empty(await hub.AlertsAsync(CredentialStuffingDetected.EventName));
        Assert.Empty(await hub.AlertsAsync(BreachedPasswordDetected.EventName));
        var sigma = hub.Harness.Published.Select<SigmaDetection>(Cancel).Select(p => p.Context.Message.RuleName);
        Assert.Equal(["leaked_password_login"], sigma);
        var typed = hub.Services.GetRequiredService<DetectionRules>().Set.Typed.Select(c => c.Info.Id).ToHashSet();
        Assert.Empty(await hub.Services.GetRequiredService<SagaStore<CorrelationState>>().QueryAsync(s => typed.Contains(s.RuleId), Cancel));
        var listed = new DetectionsReader(hub.Services.GetRequiredService<DetectionRules>(), off).Read().Rules;
        Assert.False(listed.Single(d => d.Name == "brute_force").Alerts);
    }

    [Fact]
    public async Task Should_count_to_the_threshold_and_window_its_settings_give()
    {
        var settings = new SecurityOptions { BruteForce = new BurstOptions { Threshold = 3, Window = TimeSpan.FromSeconds(30) } };
        await using var hub = await SecurityHarness.StartAsync(settings);

        await hub.PublishInOrderAsync(Failure(T0), Failure(T0.AddSeconds(31)), Failure(T0.AddSeconds(40)));
        Assert.Empty(await hub.AlertsAsync(BruteForceDetected.EventName));
        await hub.PublishInOrderAsync(Failure(T0.AddSeconds(50)));

        var alert = Assert.IsType<BruteForceDetected>(Assert.Single(await hub.AlertsAsync(BruteForceDetected.EventName)));
        Assert.Equal((3, TimeSpan.FromSeconds(30), 3), (alert.Threshold, alert.Window, alert.Count));
    }

    [Fact]
    public void Should_list_each_as_a_correlation_raising_its_typed_event()
    {
        var rules = new DetectionRules(Options.Create(new DetectionRulesOptions()), NullLogger<DetectionRules>.Instance);
        var listed = new DetectionsReader(rules, new HubSwitches()).Read().Rules;

        Assert.Equal(
            [("breached_password", BreachedPasswordDetected.EventName), ("brute_force", BruteForceDetected.EventName), ("credential_stuffing", CredentialStuffingDetected.EventName)],
            listed.Where(d => d.Event.EndsWith(".detected", StringComparison.Ordinal)).Select(d => (d.Name, d.Event)).Order());
        // Their base rules feed them and raise nothing of their own; brute force and credential stuffing share one.
        Assert.Equal(["brute_force", "credential_stuffing"], listed.Single(d => d.Name == "failed_logins").UsedBy.Order());
        Assert.All(listed.Where(d => d.Name is "failed_logins" or "breached_password_entries"), d => Assert.False(d.Alerts));
    }

    [Theory]
    [InlineData("brute_force", "is raised by the built-in rule only")]
    [InlineData("tor_exit_node", "is not a typed alert (brute_force, credential_stuffing, breached_password)")]
    public void Should_refuse_an_operators_correlation_that_names_a_typed_alert(string alert, string reason)
    {
        var set = SigmaEntries.Load(SigmaEntries.Rule("data.type: f") + $"""

            ---
            title: My brute force
            name: mine
            alert: {alert}
            correlation:
                type: event_count
                rules: [probe]
                group-by: [data.user_id]
                timespan: 5m
                condition: {"{"}gte: 3{"}"}
            """);

        var refused = Assert.Single(set.Refused);
        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
        Assert.Equal(("test/rule-1.yml", 13L), (refused.File, refused.Line));
        Assert.Empty(set.Correlations);
    }
}
