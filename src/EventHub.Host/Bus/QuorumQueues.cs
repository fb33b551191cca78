using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;

namespace EventHub.Host.Bus;

/// <summary>
/// Quorum queues for a RabbitMQ cluster: replicated, with a delivery limit past which the broker dead-letters a message
/// to the endpoint's <c>_error</c> queue (where MassTransit puts what fails its retries) instead of dropping it.
/// </summary>
internal static class QuorumQueues
{
    public const string TypeArgument = "x-queue-type";
    const string DeliveryLimitArgument = "x-delivery-limit";
    const string DeadLetterExchangeArgument = "x-dead-letter-exchange";
    public const string ErrorSuffix = "_error";

    /// <summary>
    /// Quorum queues are durable by nature: a temporary endpoint (the dashboard's per-copy live feed, auto-deleted with its
    /// copy) stays classic. MassTransit applies an endpoint definition's temporary settings before the endpoint callbacks.
    /// </summary>
    public static bool CanHold(IRabbitMqReceiveEndpointConfigurator endpoint) =>
        endpoint is not IRabbitMqReceiveEndpointConfiguration configuration || (configuration.Settings.Durable && !configuration.Settings.AutoDelete);

    public static void Apply(IRabbitMqReceiveEndpointConfigurator endpoint, string queueName, int deliveryLimit)
    {
        endpoint.SetQuorumQueue();
        endpoint.SetQueueArgument(DeliveryLimitArgument, deliveryLimit);
        // Declared with the endpoint (not lazily on the first fault, as MassTransit declares error queues), so the
        // dead-letter target exists before the first message can need it; its arguments match MassTransit's own
        // declaration of the error queue (see ConfigureErrorSettings in BusModule).
        endpoint.BindDeadLetterQueue(queueName + ErrorSuffix, queueName + ErrorSuffix, queue => queue.SetQuorumQueue());
    }

    /// <summary>
    /// The arguments a hub queue is declared with under these settings: what <see cref="Apply"/> and MassTransit's error
    /// settings give it, stated once more for the checks that run before MassTransit declares anything. A classic queue
    /// has none (MassTransit's default).
    /// </summary>
    public static Dictionary<string, object?> ArgumentsFor(string queueName, RabbitMqSettings settings)
    {
        if (!settings.QuorumQueues)
            return [];
        if (queueName.EndsWith(ErrorSuffix, StringComparison.Ordinal))
            return new() { [TypeArgument] = "quorum" };
        return new()
        {
            [TypeArgument] = "quorum",
            [DeliveryLimitArgument] = settings.DeliveryLimit,
            [DeadLetterExchangeArgument] = queueName + ErrorSuffix,
        };
    }
}
