using MassTransit;

namespace EventHub.Security.Detection;

internal static class SecurityEndpoint
{
    /// <summary>
    /// Two host copies (or two messages in one) that load the same instance cannot both save it: the loser gets a
    /// <see cref="ConcurrencyException"/> and runs again on the fresh instance, soon and with jitter. The outbox holds
    /// alerts until the instance is saved, so a run that loses publishes nothing. See docs/adr/0005.
    /// </summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            retry.Exponential(30, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(25));
        });
        endpoint.UseInMemoryOutbox(context);
    }
}
