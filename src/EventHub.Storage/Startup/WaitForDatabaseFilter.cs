using MassTransit;

namespace EventHub.Storage.Startup;

/// <summary>
/// Holds a message, unacknowledged, until this copy's schema is in place: a host started before its database must not
/// spend a consumer's retries (and then move the message to <c>_error</c>) on a database that is not there yet.
/// </summary>
public sealed class WaitForDatabaseFilter<T>(Database database) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (!database.Status.IsReady)
            await database.Status.WaitUntilReadyAsync(context.CancellationToken);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("waitForDatabase");
}
