using System.Collections.Concurrent;
using EventHub.Listeners.Registry;

namespace EventHub.Listeners.RateLimits;

/// <summary>
/// Holds each delivery of a rate-limited listener until its slot: slots are 1/rate apart, so deliveries wait (unacked,
/// in the queue or the retry schedule) instead of failing. Every copy consuming the listener's queue is one of its
/// consumers on the broker, so a copy takes rate / consumers as its share; the count is re-read every
/// <see cref="ShareRefresh"/>, which bounds how long a copy joining or leaving can push the total off the limit. See
/// docs/adr/0017.
/// </summary>
internal sealed class DeliveryPacer(IListenerTransport transport, TimeProvider time)
{
    public static readonly TimeSpan ShareRefresh = TimeSpan.FromSeconds(5);
    readonly ConcurrentDictionary<string, Pace> _paces = new();

    public async Task WaitAsync(Listener listener, CancellationToken cancellationToken)
    {
        if (listener.RateLimitPerSecond is not { } perSecond)
            return;
        var pace = _paces.GetOrAdd(listener.Id, _ => new Pace());
        var now = time.GetUtcNow();
        if (now >= pace.ShareReadAt + ShareRefresh)
        {
            pace.ShareReadAt = now;
            pace.Consumers = Math.Max(1, await transport.GetConsumerCountAsync(listener.QueueName, cancellationToken) ?? 1);
        }

        var interval = TimeSpan.FromSeconds(pace.Consumers / (double)perSecond);
        DateTimeOffset slot;
        lock (pace)
        {
            slot = pace.Next > now ? pace.Next : now;
            pace.Next = slot + interval;
        }

        if (slot > now)
            await Task.Delay(slot - now, time, cancellationToken);
    }

    sealed class Pace
    {
        public DateTimeOffset Next { get; set; }

        public DateTimeOffset ShareReadAt { get; set; } = DateTimeOffset.MinValue + ShareRefresh;

        public int Consumers { get; set; } = 1;
    }
}
