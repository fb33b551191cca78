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
        await Eventually.UntilAsync(() => Task.FromResult(stalled.Calls.ToArray()), calls => calls.Length >= 2, what: "the stalled endpoint restarted");
        Assert.Equal(["Stop", "Start"], stalled.Calls.Take(2));
        Assert.Empty(healthy.Calls);
    }

    [Fact]
    public async Task Should_restart_an_endpoint_that_takes_nothing_while_messages_wait_on_a_queue_another_copy_consumes()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var hub = new EmbeddedHub(settings);
        var watchdog = hub.Services.GetServices<IReceiveEndpointObserver>().Single(o => o.GetType().Name == "StalledEndpointWatchdog");
        // Another copy's consumer on the shared queue: it holds one message unacknowledged and is given no more, so the
        // broker counts a consumer while messages wait ready, which this copy's endpoint never receives.
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(broker.Node.AmqpUriOf(settings.VirtualHost())) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        var queue = (await channel.QueueDeclareAsync($"shared-{Guid.NewGuid():N}"[..20], durable: false, exclusive: false, autoDelete: false, cancellationToken: Cancel)).QueueName;
        for (var i = 0; i < 3; i++)
            await channel.BasicPublishAsync("", queue, mandatory: false, new RabbitMQ.Client.BasicProperties(), new ReadOnlyMemory<byte>([1]), Cancel);
        await channel.BasicQosAsync(0, 1, false, Cancel);
        await channel.BasicConsumeAsync(queue, autoAck: false, "", noLocal: false, exclusive: false, arguments: null, new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel), Cancel);
        var alone = RecordingEndpoint.Create(new Uri($"rabbitmq://127.0.0.1/{queue}"));

        await watchdog.Ready(alone.ReadyEvent);

        await Eventually.UntilAsync(() => Task.FromResult(alone.Calls.ToArray()), calls => calls.Length >= 2, what: "the endpoint stalled alone restarted");
        Assert.Equal(["Stop", "Start"], alone.Calls.Take(2));
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: Cancel);
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
                case nameof(IReceiveEndpoint.ConnectReceiveObserver):
                    return DispatchProxy.Create<ConnectHandle, DisconnectHandle>();
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

    public class DisconnectHandle : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => null;
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
