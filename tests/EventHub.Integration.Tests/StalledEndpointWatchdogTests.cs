using System.Collections.Concurrent;
using System.Reflection;
using EventHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>
/// The host's watchdog against a real broker (docs/adr/0011): an endpoint that reports running while its queue has no
/// consumer is stopped and started again; one whose queue has a consumer is left alone. The wedge itself (a channel
/// RabbitMQ.Client never told was closed) cannot be made on demand, so the endpoints here are stand-ins that record
/// what the watchdog does to them, on queues that really exist with and without a consumer.
/// </summary>
public sealed class StalledEndpointWatchdogTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_restart_an_endpoint_whose_queue_has_no_consumer_and_leave_one_that_has_a_consumer()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var hub = new EmbeddedHub(settings);
        var watchdog = hub.Services.GetServices<IReceiveEndpointObserver>().Single(o => o.GetType().Name == "StalledEndpointWatchdog");
        var amqp = broker.Node.AmqpUriOf(settings.VirtualHost());
        // A queue nobody consumes, and one the host's own event log consumes.
        await using var orphan = await BoundQueue.DeclareAsync(amqp);
        var stalled = RecordingEndpoint.Create(new Uri($"rabbitmq://127.0.0.1/{orphan.Name}"));
        var healthy = RecordingEndpoint.Create(new Uri("rabbitmq://127.0.0.1/store-events"));

        await watchdog.Ready(stalled.ReadyEvent);
        await watchdog.Ready(healthy.ReadyEvent);

        // Three checks 5 s apart without a consumer, then the restart.
        await Eventually.UntilAsync(() => Task.FromResult(stalled.Calls.ToArray()), calls => calls.Length >= 2, TimeSpan.FromSeconds(40), "the stalled endpoint restarted");
        Assert.Equal(["Stop", "Start"], stalled.Calls.Take(2));
        Assert.Empty(healthy.Calls);
    }

    /// <summary>An <see cref="IReceiveEndpoint"/> that records Stop and Start and reports ready when started.</summary>
    public class RecordingEndpoint : DispatchProxy
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public ReceiveEndpointReady ReadyEvent { get; private set; } = null!;

        public static RecordingEndpoint Create(Uri inputAddress)
        {
            var endpoint = Create<IReceiveEndpoint, RecordingEndpoint>();
            var recorder = (RecordingEndpoint)(object)endpoint;
            recorder.ReadyEvent = new Ready(inputAddress, endpoint);
            return recorder;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            switch (targetMethod?.Name)
            {
                case nameof(IReceiveEndpoint.Stop):
                    Calls.Enqueue("Stop");
                    return Task.CompletedTask;
                case nameof(IReceiveEndpoint.Start):
                    Calls.Enqueue("Start");
                    var handle = DispatchProxy.Create<ReceiveEndpointHandle, StartedHandle>();
                    ((StartedHandle)(object)handle).ReadyEvent = ReadyEvent;
                    return handle;
                default:
                    throw new NotSupportedException($"{targetMethod?.Name} is not used by the watchdog");
            }
        }
    }

    public class StartedHandle : DispatchProxy
    {
        public ReceiveEndpointReady ReadyEvent { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == "get_Ready" ? Task.FromResult(ReadyEvent) : throw new NotSupportedException(targetMethod?.Name);
    }

    sealed record Ready(Uri InputAddress, IReceiveEndpoint ReceiveEndpoint) : ReceiveEndpointReady
    {
        public bool IsStarted => true;
    }
}
