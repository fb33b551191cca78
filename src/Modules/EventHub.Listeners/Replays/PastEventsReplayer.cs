using EventHub.Listeners.Delivery;
using EventHub.Contracts.Events;
using EventHub.Listeners.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventHub.Listeners.Replays;

/// <summary>
/// Delivers a newly registered listener's past (<c>since</c>): pages of matching events from the event log, asked of
/// the events module over the bus, go through the same delivery path as live ones, so an event that also arrives live
/// is delivered once. Runs in the background on the copy that took the registration.
/// </summary>
internal sealed class PastEventsReplayer(IEventLogReader log, Deliverer deliverer, IHostApplicationLifetime lifetime, ILogger<PastEventsReplayer> logger)
{
    const int PageSize = 50;

    public void Start(Listener listener, DateTimeOffset since) =>
        _ = Task.Run(() => RunAsync(listener, since, lifetime.ApplicationStopping), CancellationToken.None);

    async Task RunAsync(Listener listener, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            long? after = 0;
            var replayed = 0;
            while (after is not null)
            {
                var page = await log.ReadAsync(new LoggedEventsQuery { Patterns = listener.Patterns, Since = since, After = after.Value, Limit = PageSize }, cancellationToken);
                foreach (var past in page.Items)
                    await deliverer.OnEventAsync(listener, past, cancellationToken);
                replayed += page.Items.Count;
                after = page.Next;
            }

            logger.LogInformation("Replayed {Count} past events since {Since} to listener {ListenerId}", replayed, since, listener.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Replaying the past of listener {ListenerId} stopped ({Error}); register it again with since to resume", listener.Id, e.GetType().Name);
        }
    }
}
