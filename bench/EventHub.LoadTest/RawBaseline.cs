using System.Diagnostics;
using RabbitMQ.Client;

namespace EventHub.LoadTest;

/// <summary>
/// What the broker alone does with the same entries: RabbitMQ.Client publishing persistent ~1 KB messages to a durable
/// topic exchange with one durable queue bound (as <c>eventhub.events</c> has the event log's queue), with publisher
/// confirms, pipelined up to a bounded number of unconfirmed messages.
/// </summary>
internal static class RawBaseline
{
    const string Exchange = "bench.raw";
    const string Queue = "bench.raw.queue";

    /// <summary>Confirmed messages per second, and how many were confirmed.</summary>
    public static async Task<(double PerSecond, int Confirmed)> MeasureAsync(Uri amqp, IReadOnlyList<byte[]> entries, TimeSpan duration, int maxMessages, int window)
    {
        var factory = new ConnectionFactory { Uri = amqp };
        await using var connection = await factory.CreateConnectionAsync("eventhub-bench-raw");
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        await using var channel = await connection.CreateChannelAsync(options);
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true);
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(Queue, Exchange, "#");
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };

        using var outstanding = new SemaphoreSlim(window, window);
        var inFlight = new List<Task>();
        var confirmed = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < maxMessages && clock.Elapsed < duration; i++)
        {
            await outstanding.WaitAsync();
            var body = entries[i % entries.Count];
            inFlight.Add(PublishAsync(channel, body, properties, outstanding, () => Interlocked.Increment(ref confirmed)));
            if (inFlight.Count >= window * 4)
                inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(inFlight);
        var rate = confirmed / clock.Elapsed.TotalSeconds;
        await channel.QueueDeleteAsync(Queue);
        await channel.ExchangeDeleteAsync(Exchange);
        return (rate, confirmed);
    }

    static async Task PublishAsync(IChannel channel, byte[] body, BasicProperties properties, SemaphoreSlim outstanding, Action onConfirmed)
    {
        try
        {
            // With confirmation tracking on, the publish completes when the broker has confirmed it.
            await channel.BasicPublishAsync(Exchange, "auth0.auth.login.fail.f", mandatory: false, properties, body);
            onConfirmed();
        }
        finally
        {
            outstanding.Release();
        }
    }
}
