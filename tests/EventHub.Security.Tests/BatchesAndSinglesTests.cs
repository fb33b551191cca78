using System.Text.Json;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using static EventHub.Security.Tests.Entries;

namespace EventHub.Security.Tests;

/// <summary>
/// The rules consumer reads <see cref="HubEventBatch"/>es (docs/adr/0031). A release before that published each entry on
/// its own, and its binding brings this release's single entries too during a rolling upgrade: the previous release's
/// are counted, this release's (marked as also in a batch) are not counted twice.
/// </summary>
public sealed class BatchesAndSinglesTests : IAsyncLifetime
{
    SecurityHarness _hub = null!;

    public async ValueTask InitializeAsync() => _hub = await SecurityHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    static Auth0LogEntry[] Failures(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Failure(T0 + TimeSpan.FromSeconds(10 * i), "auth0|alice", "203.0.113.7", "f"))];

    [Fact]
    public async Task Should_alert_on_ten_failures_that_came_in_one_batch_message()
    {
        await _hub.PublishAndWaitAsync(HubEventBatch.Of(Failures(10)));

        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        Assert.Equal("auth0|alice", System.Text.Json.Nodes.JsonNode.Parse(alert.Payload)!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_count_the_single_entries_of_a_previous_release()
    {
        foreach (var failure in Failures(10))
            await _hub.PublishAndWaitAsync(failure);

        Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
    }

    [Fact]
    public async Task Should_skip_a_single_entry_marked_as_in_a_batch_which_it_is_counted_from()
    {
        var failures = Failures(10);
        await _hub.PublishAndWaitAsync(HubEventBatch.Of(failures[..5]));
        // The other five as this release publishes them on their own: marked, since their batch goes to the consumer too.
        foreach (var failure in failures[5..])
            await _hub.PublishAndWaitAsync(failure, context => context.Headers.Set(HubEventNames.InBatchHeader, true));
        Assert.Empty(await _hub.AlertsAsync(SecurityAlerts.BruteForce));

        await _hub.PublishAndWaitAsync(HubEventBatch.Of(failures[5..]));
        Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
    }

    [Fact]
    public void Should_carry_every_field_of_an_entry_through_json_and_rebuild_the_record_of_its_code()
    {
        var failure = Failures(1)[0] with { Scope = ["openid", "profile"], IsMobile = true, Description = "Wrong email or password." };
        var emitted = new Contracts.Events.EmittedEvent { EventId = "e1", Name = "order.placed", Source = "shop", OccurredAt = T0, ReceivedAt = T0, Payload = "{\"a\":1}" };
        var json = JsonSerializer.Serialize(HubEventBatch.Of([failure, emitted]), JsonSerializerOptions.Web);

        var batch = JsonSerializer.Deserialize<HubEventBatch>(json, JsonSerializerOptions.Web)!;

        var rebuilt = Assert.IsType<Auth0FailedLogin>(Assert.Single(batch.Auth0LogEntries()));
        Assert.Equal(JsonSerializer.Serialize<object>(failure, JsonSerializerOptions.Web), JsonSerializer.Serialize<object>(rebuilt, JsonSerializerOptions.Web));
        Assert.Equal(["auth0.auth.login.fail.f", "order.placed"], batch.Events().Select(e => e.Name));
        Assert.Equal(("e1", "shop", T0, "{\"a\":1}"), batch.Others.Select(e => (e.EventId, e.Source, e.OccurredAt, e.Payload)).Single());
    }
}
