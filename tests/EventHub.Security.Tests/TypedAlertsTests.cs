using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EventHub.Contracts;
using EventHub.Contracts.Security;
using EventHub.TestSupport;
using MassTransit;
using static EventHub.Security.Tests.Entries;

namespace EventHub.Security.Tests;

/// <summary>Alerts are published as their own contracts: a service consumes one kind, or all of them by interface.</summary>
public sealed class TypedAlertsTests : IAsyncLifetime
{
    SecurityHarness _hub = null!;

    public async ValueTask InitializeAsync() => _hub = await SecurityHarness.StartAsync(consumers: bus =>
    {
        bus.AddConsumer<AnyAlertConsumer>();
        bus.AddConsumer<BruteForceConsumer>();
        bus.AddConsumer<AnyHubEventConsumer>();
    });

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Should_deliver_each_alert_to_consumers_of_its_record_of_ISecurityAlert_and_of_IHubEvent()
    {
        var burst = Enumerable.Range(0, 10).Select(i => Failure(T0.AddSeconds(i), user: "auth0|typed", ip: "203.0.113.50")).ToArray();
        await _hub.PublishInOrderAsync([.. burst, Create("pwd_leak", T0, "auth0|leaky", "203.0.113.51")]);

        Assert.True(await _hub.Harness.GetConsumerHarness<BruteForceConsumer>().Consumed.Any<BruteForceDetected>(TestContext.Current.CancellationToken));
        var bruteForce = Assert.Single(BruteForceConsumer.Seen.Values, a => a.User == "auth0|typed");
        Assert.Equal((Source, 10), (bruteForce.LogSource, bruteForce.Count));
        Assert.Equal(["203.0.113.50"], bruteForce.Ips);
        Assert.Equal(["f"], bruteForce.Codes);
        Assert.Equal(burst.Select(b => b.EventId), bruteForce.LogIds);
        Assert.Equal(10, JsonNode.Parse(bruteForce.Payload)!["count"]!.GetValue<int>());

        // Consumed by interface, an alert arrives as the interface (MassTransit builds the object from the message's JSON).
        var byInterface = await Eventually.UntilAsync(() => Task.FromResult(AnyAlertConsumer.Seen.Values.Where(a => a.LogSource == Source).ToList()), seen => seen.Count == 3);
        Assert.Equal([BreachedPasswordDetected.EventName, BruteForceDetected.EventName, SigmaDetection.NamePrefix + "leaked_password_login"], byInterface.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Equal(bruteForce.LogIds, byInterface.Single(a => a.EventId == bruteForce.EventId).LogIds);
        var breached = byInterface.Single(a => a.Name == BreachedPasswordDetected.EventName);
        Assert.Equal("auth0|leaky", JsonNode.Parse(breached.Payload)!["user"]!.GetValue<string>());
        await Eventually.UntilAsync(() => Task.FromResult(AnyHubEventConsumer.Seen.ContainsKey(bruteForce.EventId) && AnyHubEventConsumer.Seen.ContainsKey(breached.EventId)), seen => seen);
    }

    sealed class AnyAlertConsumer : IConsumer<ISecurityAlert>
    {
        public static readonly ConcurrentDictionary<string, ISecurityAlert> Seen = new();

        public Task Consume(ConsumeContext<ISecurityAlert> context)
        {
            Seen[context.Message.EventId] = context.Message;
            return Task.CompletedTask;
        }
    }

    internal sealed class BruteForceConsumer : IConsumer<BruteForceDetected>
    {
        public static readonly ConcurrentDictionary<string, BruteForceDetected> Seen = new();

        public Task Consume(ConsumeContext<BruteForceDetected> context)
        {
            Seen[context.Message.EventId] = context.Message;
            return Task.CompletedTask;
        }
    }

    sealed class AnyHubEventConsumer : IConsumer<IHubEvent>
    {
        public static readonly ConcurrentDictionary<string, IHubEvent> Seen = new();

        public Task Consume(ConsumeContext<IHubEvent> context)
        {
            Seen[context.Message.EventId] = context.Message;
            return Task.CompletedTask;
        }
    }
}
