using System.Diagnostics;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Publishing;
using EventHub.TestSupport;
using MassTransit;
using MassTransit.Serialization;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventHub.Benchmarks;

/// <summary>
/// What reading the hub's batch messages costs the host's CPU per Auth0 entry, in one process against one private
/// RabbitMQ node: queues filled beforehand with <see cref="HubEventBatch"/>es of 100 real entries (MassTransit's envelope),
/// then drained by MassTransit as the event log and the detections read them (<c>Batch&lt;HubEventBatch&gt;</c> of up to
/// 10, prefetch 20), by MassTransit one batch message per consume, with MassTransit's raw JSON, in the hub's own batch
/// format (ADR 0032), and by RabbitMQ.Client with System.Text.Json reading the envelope's message once. The consumers only count the entries: what is measured is the transport's and the
/// deserializer's share, not the event log's or the rules'.
/// Run: <c>dotnet run -c Release --project bench/EventHub.Benchmarks -- consume-paths</c>.
/// </summary>
internal static class ConsumePaths
{
    const int EntriesPerBatch = 100;
    const int MessagesPerRound = 200;
    const int Rounds = 3;

    public static async Task<int> RunAsync()
    {
        var body = BenchEntries.Body(1000, "consumepaths", "f", "s", "sapi", "seacft", "slo");
        var events = BenchEntries.Mapped(body, DateTimeOffset.UtcNow);
        var batches = Enumerable.Range(0, events.Count / EntriesPerBatch).Select(i => HubEventBatch.Of(events.Skip(i * EntriesPerBatch).Take(EntriesPerBatch))).ToList();
        var entriesPerRound = Enumerable.Range(0, MessagesPerRound).Sum(i => batches[i % batches.Count].Auth0.Count);

        await using var node = await RabbitMqNode.StartAsync("eventhub-consumepaths");
        var bus = BenchBus.On(node);
        // The same messages without MassTransit's envelope: its raw JSON serializer, read by its raw JSON deserializer.
        var rawJsonBus = BenchBus.On(node, cfg => cfg.UseRawJsonSerializer(isDefault: true));
        await bus.StartAsync();
        await rawJsonBus.StartAsync();
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(node.AmqpUri) };
            await using var connection = await factory.CreateConnectionAsync("eventhub-consumepaths-raw");
            Console.WriteLine($"{MessagesPerRound} batch messages of {EntriesPerBatch} entries per round, {entriesPerRound} entries");
            Console.WriteLine("round | path | CPU µs per entry | allocated bytes per entry | entries/s");
            for (var round = 0; round <= Rounds; round++)
            {
                // Round 0 warms every path up and is not printed.
                await MeasureAsync(round, "MassTransit envelope, Batch<HubEventBatch> of up to 10 (the hub before ADR 0032)", bus, batches, entriesPerRound, (queue, counter) => ConnectMassTransit(bus, queue, counter, batched: true));
                await MeasureAsync(round, "MassTransit envelope, one HubEventBatch per consume", bus, batches, entriesPerRound, (queue, counter) => ConnectMassTransit(bus, queue, counter, batched: false));
                await MeasureAsync(round, "MassTransit, raw JSON (no envelope), Batch<HubEventBatch> of up to 10", rawJsonBus, batches, entriesPerRound, (queue, counter) => ConnectMassTransit(bus, queue, counter, batched: true, rawJson: true));
                await MeasureAsync(round, "MassTransit, the hub's batch format read in one pass (ADR 0032)", bus, batches, entriesPerRound, (queue, counter) => ConnectMassTransit(bus, queue, counter, batched: true, onePass: true), HubEventBatchSerializer.Instance);
                await MeasureAsync(round, "RabbitMQ.Client, the envelope's message read once", bus, batches, entriesPerRound, (queue, counter) => ConnectRawAsync(connection, queue, counter));
            }

            return 0;
        }
        finally
        {
            await rawJsonBus.StopAsync();
            await bus.StopAsync();
        }
    }

    sealed class Counter(int expected)
    {
        int _entries;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(int entries)
        {
            if (Interlocked.Add(ref _entries, entries) >= expected)
                Done.TrySetResult();
        }
    }

    static async Task MeasureAsync(int round, string path, IBus bus, List<HubEventBatch> batches, int entries, Func<string, Counter, Task<Func<Task>>> connect, IMessageSerializer? serializer = null)
    {
        // A queue of its own, filled beforehand by MassTransit (so with its envelope), outside the measurement.
        var queue = $"consumepaths-{Guid.NewGuid():N}";
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        for (var sent = 0; sent < MessagesPerRound; sent += 20)
            await Task.WhenAll(Enumerable.Range(sent, 20).Select(i => endpoint.Send(batches[i % batches.Count], context =>
            {
                if (serializer is not null)
                    context.Serializer = serializer;
            })));

        var counter = new Counter(entries);
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var stop = await connect(queue, counter);
        await counter.Done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        clock.Stop();
        process.Refresh();
        var cpuPerEntry = (process.TotalProcessorTime - cpu).TotalMicroseconds / entries;
        var bytesPerEntry = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)entries;
        await stop();
        if (round > 0)
            Console.WriteLine($"{round} | {path} | {cpuPerEntry:F1} | {bytesPerEntry:F0} | {entries / clock.Elapsed.TotalSeconds:F0}");
    }

    static async Task<Func<Task>> ConnectMassTransit(IBus bus, string queue, Counter counter, bool batched, bool rawJson = false, bool onePass = false)
    {
        var handle = bus.ConnectReceiveEndpoint(queue, endpoint =>
        {
            endpoint.PrefetchCount = 20;
            if (rawJson)
                endpoint.UseRawJsonDeserializer(isDefault: true);
            if (onePass)
                endpoint.AddDeserializer(HubEventBatchSerializer.Instance);
            if (batched)
                endpoint.Batch<HubEventBatch>(batch =>
                {
                    batch.MessageLimit = 10;
                    batch.TimeLimit = TimeSpan.FromMilliseconds(20);
                    batch.Consumer(() => new BatchCounter(counter));
                });
            else
                endpoint.Handler<HubEventBatch>(context =>
                {
                    counter.Add(context.Message.Auth0.Count);
                    return Task.CompletedTask;
                });
        });
        await handle.Ready;
        return () => handle.StopAsync();
    }

    sealed class BatchCounter(Counter counter) : IConsumer<Batch<HubEventBatch>>
    {
        public Task Consume(ConsumeContext<Batch<HubEventBatch>> context)
        {
            foreach (var message in context.Message)
                counter.Add(message.Message.Auth0.Count);
            return Task.CompletedTask;
        }
    }

    sealed record Envelope(HubEventBatch Message);

    static async Task<Func<Task>> ConnectRawAsync(IConnection connection, string queue, Counter counter)
    {
        var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 20, false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(delivery.Body.Span, SystemTextJsonMessageSerializer.Options)!;
            counter.Add(envelope.Message.Auth0.Count);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        return async () =>
        {
            await channel.BasicCancelAsync(tag);
            await channel.CloseAsync();
            channel.Dispose();
        };
    }
}
