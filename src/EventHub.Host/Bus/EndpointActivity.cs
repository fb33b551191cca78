using MassTransit;

namespace EventHub.Host.Bus;

/// <summary>
/// What one receive endpoint of this copy takes from its queue: messages received so far and those being handled now.
/// The broker's consumer count is every copy's; this is the copy's own view the watchdog needs.
/// </summary>
internal sealed class EndpointActivity : IReceiveObserver
{
    long _received;
    int _inProgress;

    public long Received => Interlocked.Read(ref _received);

    public int InProgress => Volatile.Read(ref _inProgress);

    public Task PreReceive(ReceiveContext context)
    {
        Interlocked.Increment(ref _received);
        Interlocked.Increment(ref _inProgress);
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        Interlocked.Decrement(ref _inProgress);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Interlocked.Decrement(ref _inProgress);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    /// <summary>
    /// Whether one check finds the endpoint stalled on this copy: its queue has no consumer at all (or is gone), or
    /// messages wait ready in it while this endpoint took none since the last check and handles none. A live consumer
    /// with a free slot is handed a ready message at once, so only a consumer the broker no longer feeds looks like that,
    /// even while other copies consume the same queue.
    /// </summary>
    public static bool LooksStalled(uint? consumers, uint ready, long receivedSinceLastCheck, int inProgress) =>
        consumers is null or 0 || (ready > 0 && receivedSinceLastCheck == 0 && inProgress == 0);
}
