using System.Collections.Concurrent;
using System.Text;
using EventHub.Contracts.ErrorQueues;
using EventHub.Host.Bus;
using EventHub.Listeners;
using MassTransit;
using RabbitMQ.Client;

namespace EventHub.Host.ErrorQueues;

/// <summary>
/// The <c>_error</c> queues of the receive endpoints this copy runs (learned as they start, so a new consumer is
/// covered without a list to keep), read and moved back on the broker through the host's admin connection.
/// AMQP cannot peek: messages are taken unacknowledged and go back in place when the channel closes.
/// </summary>
internal sealed class ErrorQueueBrowser(RabbitMqAdminConnection admin, IListenerTransport queues) : IReceiveEndpointObserver, IErrorQueues
{
    public const string Suffix = "_error";
    const int MaxStackTrace = 4000;
    // MassTransit writes these when it moves a message to _error; a replayed message that fails again gets fresh ones.
    static readonly string[] FaultHeaderPrefixes = ["MT-Fault-", "MT-Reason", "MT-Host-"];
    readonly ConcurrentDictionary<string, bool> _sources = new(StringComparer.Ordinal);

    public Task Ready(ReceiveEndpointReady ready)
    {
        // Temporary endpoints (the bus's own, the dashboard feed) are auto-deleted with their error queues.
        var query = ready.InputAddress.Query;
        if (!query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase) && !query.Contains("autodelete=true", StringComparison.OrdinalIgnoreCase))
            _sources.TryAdd(ready.InputAddress.AbsolutePath.Split('/')[^1], true);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    public async Task<IReadOnlyList<ErrorQueue>> ListAsync(int peek, CancellationToken cancellationToken)
    {
        var list = new List<ErrorQueue>();
        foreach (var source in _sources.Keys.Order(StringComparer.Ordinal))
        {
            if (await queues.GetDepthAsync(source + Suffix, cancellationToken) is not { } count)
                continue;
            list.Add(new ErrorQueue(source + Suffix, source, count, count > 0 && peek > 0 ? await PeekAsync(source + Suffix, peek, cancellationToken) : []));
        }

        return list;
    }

    /// <summary>The source queue of a known error queue; null for any other name (so no queue of the broker can be drained through here).</summary>
    string? SourceOf(string errorQueue) =>
        errorQueue.EndsWith(Suffix, StringComparison.Ordinal) && _sources.ContainsKey(errorQueue[..^Suffix.Length]) ? errorQueue[..^Suffix.Length] : null;

    async Task<IReadOnlyList<ErrorMessage>> PeekAsync(string queue, int peek, CancellationToken cancellationToken)
    {
        var messages = new List<ErrorMessage>();
        await using var channel = await admin.OpenChannelAsync(cancellationToken);
        while (messages.Count < peek && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } result)
            messages.Add(Describe(result));
        await channel.CloseAsync(cancellationToken);
        return messages;
    }

    /// <summary>
    /// Moves the selected messages (all when <paramref name="messageIds"/> is null) back to its source queue:
    /// each is published there and confirmed by the broker before it is removed from the error queue, so a failure
    /// half-way leaves it in one of the two, never neither. Returns how many moved and how many stayed.
    /// </summary>
    public async Task<ErrorQueueReplay?> ReplayAsync(string errorQueue, IReadOnlySet<string>? messageIds, CancellationToken cancellationToken)
    {
        if (SourceOf(errorQueue) is not { } source)
            return null;
        var replayed = 0;
        await using (var channel = await admin.OpenChannelAsync(cancellationToken, publisherConfirms: true))
        {
            // Only what is there now: a message that fails again while this runs lands behind them and is not taken twice.
            var count = (await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken)).MessageCount;
            for (var i = 0; i < count && await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } result; i++)
            {
                if (messageIds is not null && !messageIds.Contains(result.BasicProperties.MessageId ?? ""))
                    continue;
                var properties = new BasicProperties(result.BasicProperties);
                if (properties.Headers is { } headers)
                {
                    foreach (var name in headers.Keys.Where(k => FaultHeaderPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
                        headers.Remove(name);
                }

                await channel.BasicPublishAsync("", source, mandatory: true, properties, result.Body, cancellationToken);
                await channel.BasicAckAsync(result.DeliveryTag, multiple: false, cancellationToken);
                replayed++;
            }

            await channel.CloseAsync(cancellationToken);
        }

        return new ErrorQueueReplay(errorQueue, source, replayed, await queues.GetDepthAsync(errorQueue, cancellationToken) ?? 0);
    }

    static ErrorMessage Describe(BasicGetResult result)
    {
        var headers = result.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;
        var stackTrace = Header("MT-Fault-StackTrace");
        return new ErrorMessage(
            result.BasicProperties.MessageId,
            Header("MT-Reason"),
            Header("MT-Fault-ExceptionType"),
            Header("MT-Fault-Message"),
            Header("MT-Fault-Timestamp"),
            Header("MT-Fault-ConsumerType"),
            Header("MT-Fault-MessageType"),
            stackTrace is { Length: > MaxStackTrace } ? stackTrace[..MaxStackTrace] : stackTrace,
            result.Body.Length);
    }
}
