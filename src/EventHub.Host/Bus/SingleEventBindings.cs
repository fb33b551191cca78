using EventHub.Contracts;
using RabbitMQ.Client.Exceptions;

namespace EventHub.Host.Bus;

/// <summary>
/// The bindings through which a release before ADR 0031 gave the hub's own consumers every event on its own. This
/// release's consumers read <see cref="HubEventBatch"/>es and still take such single events, so that a copy of that
/// release, running beside this one during a rolling upgrade, loses none; once none runs, the bindings only bring each
/// event a second time, and <c>migrate-queues</c> removes them, with every copy stopped: it cannot tell a copy of this
/// release from one of that.
/// </summary>
internal static class SingleEventBindings
{
    // MassTransit binds a message type's exchange to the endpoint's exchange of the queue's name; the IAuth0LogEvent
    // exchange name is MassTransit's default for that interface, which the previous release left unnamed.
    static readonly (string Endpoint, string Exchange, string RoutingKey)[] OfPreviousReleases =
    [
        ("store-events", HubEventNames.Exchange, "#"),
        ("evaluate-rules", "EventHub.Contracts.Auth0:IAuth0LogEvent", ""),
    ];

    public static IEnumerable<string> Describe() => OfPreviousReleases.Select(b => $"{b.Exchange} -> {b.Endpoint} ('{b.RoutingKey}')");

    /// <summary>
    /// Removes each binding (one that is not there is no error); returns a line per binding. Throws
    /// <see cref="InvalidOperationException"/>, removing nothing, while a queue has consumers.
    /// </summary>
    public static async Task<List<string>> RemoveAsync(RabbitMqAdminConnection admin, CancellationToken cancellationToken)
    {
        foreach (var (endpoint, _, _) in OfPreviousReleases)
        {
            await using var channel = await admin.OpenChannelAsync(cancellationToken);
            try
            {
                var queue = await channel.QueueDeclarePassiveAsync(endpoint, cancellationToken);
                if (queue.ConsumerCount > 0)
                    throw new InvalidOperationException($"queue '{endpoint}' has {queue.ConsumerCount} consumer(s)");
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
            }
        }

        var done = new List<string>();
        foreach (var (endpoint, exchange, routingKey) in OfPreviousReleases)
        {
            // A channel per binding: a missing exchange closes the channel it was named on.
            await using var channel = await admin.OpenChannelAsync(cancellationToken);
            try
            {
                await channel.ExchangeUnbindAsync(endpoint, exchange, routingKey, cancellationToken: cancellationToken);
                // RabbitMQ answers an unbind of a binding that is not there as one that was: no way to tell which.
                done.Add($"{exchange} -> {endpoint} ('{routingKey}'): unbound");
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                done.Add($"{exchange} -> {endpoint} ('{routingKey}'): no such exchange, nothing to unbind");
            }
        }

        return done;
    }
}
