using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EventHub.Host.Bus;

/// <summary>
/// What a hub queue on the broker looks like next to what the settings ask of it: its type (classic or quorum), whether
/// it takes a declaration with the wanted arguments as it is, the broker's own words for the first argument that differs,
/// and whether a rebuild of it was interrupted (its holding queue is still there).
/// </summary>
internal sealed record QueueState(string Name, string Type, string WantedType, uint Messages, uint Consumers, bool Matches, string Difference, bool Interrupted)
{
    public bool NeedsRebuild => !Matches || Interrupted;
}

/// <summary>
/// Gives an existing queue other arguments without losing a message. RabbitMQ never changes the arguments of a queue
/// (a declaration with other ones is refused with PRECONDITION_FAILED), and policies need the management plugin, which
/// the hub cannot count on (docs/adr/0016). So a queue is rebuilt: new arrivals are routed to a holding queue, waiting
/// messages moved there, the queue declared again with the wanted arguments and everything moved back. Every step can
/// run again, so a rebuild cut short finishes when it is started again; a message is never only in flight (published
/// with a confirm before it is acked), so an interruption can duplicate one but not lose it.
/// </summary>
internal sealed class QueueRebuilder(RabbitMqAdminConnection admin)
{
    public const string HoldingSuffix = ".rebuilding";

    /// <summary>The queue as it is, or null when there is no such queue.</summary>
    public async Task<QueueState?> InspectAsync(string queue, IDictionary<string, object?> wanted, CancellationToken cancellationToken)
    {
        var existing = await PassiveAsync(queue, cancellationToken);
        if (existing is null)
            return null;
        var interrupted = await PassiveAsync(queue + HoldingSuffix, cancellationToken) is not null;
        var wantedType = TypeOf(wanted);
        var difference = await TryDeclareAsync(queue, wanted, cancellationToken);
        if (difference is null)
            return new QueueState(queue, wantedType, wantedType, existing.MessageCount, existing.ConsumerCount, true, "", interrupted);
        // A queue the hub declared classic takes a declaration without arguments; one the hub declared quorum refuses it.
        var type = wantedType == "classic" || await TryDeclareAsync(queue, new Dictionary<string, object?>(), cancellationToken) is not null ? "quorum" : "classic";
        return new QueueState(queue, type, wantedType, existing.MessageCount, existing.ConsumerCount, false, difference, interrupted);
    }

    /// <summary>Rebuilds the queue with the wanted arguments, or finishes an interrupted rebuild; returns the messages it kept.</summary>
    public async Task<long> RebuildAsync(string queue, IDictionary<string, object?> wanted, CancellationToken cancellationToken)
    {
        var holding = queue + HoldingSuffix;
        // MassTransit puts an exchange of the queue's name in front of every queue; everything reaches the queue through it.
        var exchange = await ExchangeExistsAsync(queue, cancellationToken) ? queue : null;
        await using var channel = await admin.OpenChannelAsync(cancellationToken);
        await channel.QueueDeclareAsync(holding, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        if (exchange is not null)
            await channel.QueueBindAsync(holding, exchange, "", cancellationToken: cancellationToken);

        if (await PassiveAsync(queue, cancellationToken) is { } existing)
        {
            if (existing.ConsumerCount > 0)
                throw new InvalidOperationException($"queue '{queue}' has {existing.ConsumerCount} consumer(s): stop every copy of the hub first");
            if (exchange is not null)
                await channel.QueueUnbindAsync(queue, exchange, "", cancellationToken: cancellationToken);
            if (await TryDeclareAsync(queue, wanted, cancellationToken) is not null)
            {
                await MoveAsync(queue, holding, cancellationToken);
                // Not if-empty, which quorum queues refuse: the queue is unbound and without consumers, so nothing fills it.
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
            }
        }

        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: wanted, cancellationToken: cancellationToken);
        if (exchange is not null)
        {
            // Bound before the holding queue is unbound: a message published in between lands in both (a duplicate the
            // consumers' idempotence absorbs) rather than in neither.
            await channel.QueueBindAsync(queue, exchange, "", cancellationToken: cancellationToken);
            await channel.QueueUnbindAsync(holding, exchange, "", cancellationToken: cancellationToken);
        }

        var kept = await MoveAsync(holding, queue, cancellationToken);
        await channel.QueueDeleteAsync(holding, ifUnused: false, ifEmpty: true, cancellationToken: cancellationToken);
        return kept;
    }

    static string TypeOf(IDictionary<string, object?> arguments) =>
        arguments.TryGetValue(QuorumQueues.TypeArgument, out var type) && type is string name ? name : "classic";

    // A channel of its own for each move: RabbitMQ 3.10 keeps, per channel, what it learned of a queue it routed to, and
    // crashes the channel (INTERNAL_ERROR) on a publish to a queue deleted and declared again under the same name.
    async Task<long> MoveAsync(string from, string to, CancellationToken cancellationToken)
    {
        await using var channel = await admin.OpenChannelAsync(cancellationToken, publisherConfirms: true);
        long moved = 0;
        while (await channel.BasicGetAsync(from, autoAck: false, cancellationToken) is { } message)
        {
            // The channel waits for the broker's confirm before the publish returns.
            await channel.BasicPublishAsync("", to, mandatory: true, new BasicProperties(message.BasicProperties), message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }

        return moved;
    }

    // A refused declaration closes its channel, so each question gets a channel of its own.
    async Task<string?> TryDeclareAsync(string queue, IDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        await using var channel = await admin.OpenChannelAsync(cancellationToken);
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
            return null;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 406)
        {
            return e.ShutdownReason.ReplyText;
        }
    }

    async Task<QueueDeclareOk?> PassiveAsync(string queue, CancellationToken cancellationToken)
    {
        await using var channel = await admin.OpenChannelAsync(cancellationToken);
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    async Task<bool> ExchangeExistsAsync(string exchange, CancellationToken cancellationToken)
    {
        await using var channel = await admin.OpenChannelAsync(cancellationToken);
        try
        {
            await channel.ExchangeDeclarePassiveAsync(exchange, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }
}
