using EventHub.Contracts.Auth0;
using MassTransit;

namespace EventHub.Security.Detection;

/// <summary>
/// Lets through only entries a detection can key (a user, an IP); others are consumed without effect, rather than
/// correlated to one shared instance or moved to <c>_skipped</c>.
/// </summary>
internal sealed class KeyedEntriesFilter<T>(Func<IAuth0LogEvent, string?> key) : IFilter<ConsumeContext<T>>
    where T : class, IAuth0LogEvent
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next) =>
        key(context.Message) is null
            ? context.NotifyConsumed(context, TimeSpan.Zero, "security: entry without a key")
            : next.Send(context);

    public void Probe(ProbeContext context) => context.CreateFilterScope("keyedEntries");
}
