using System.Runtime.CompilerServices;
using EventHub.Contracts.Events;
using EventHub.Publishing;
using EventHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>
/// Every hub event is one write on a channel of MassTransit's connection (docs/adr/0034). What a write was given to
/// cancel it must not outlive the write: held by the channel, it grew the host by about 460 bytes per event for as long
/// as the channel lived (docs/adr/0040).
/// </summary>
public sealed class HubEventWireMemoryTests(BrokerFixture broker)
{
    const int Events = 200;

    [Fact]
    public async Task The_cancellation_a_confirmed_publish_was_given_is_not_kept_by_the_channel()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var factory = new HubFactory(settings);
        using var http = factory.CreateClient();
        await HubReadiness.WaitAsync(http);
        var wire = factory.Services.GetRequiredService<IHubEventWire>();

        var sources = new WeakReference[Events];
        for (var i = 0; i < Events; i++)
            sources[i] = await PublishWithItsOwnCancellationAsync(wire, i);
        // The channel holds on to its latest publish's until the next one: one more, not counted.
        await PublishWithItsOwnCancellationAsync(wire, Events);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var kept = sources.Count(s => s.IsAlive);
        Assert.True(kept == 0, $"{kept} of {Events} publishes' cancellation sources are still reachable after their publish was confirmed and they were disposed");
    }

    // Not inlined, so no local of the test method holds the source.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static async Task<WeakReference> PublishWithItsOwnCancellationAsync(IHubEventWire wire, int n)
    {
        using var source = new CancellationTokenSource();
        var now = DateTimeOffset.UtcNow;
        await wire.PublishAsync(
            new EmittedEvent { EventId = Guid.CreateVersion7().ToString(), Name = "wire-memory.tick", Source = "tests", OccurredAt = now, ReceivedAt = now, Payload = $$"""{"n":{{n}}}""" },
            inBatch: false,
            source.Token);
        return new WeakReference(source);
    }
}
