using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using MassTransit;

namespace EventHub.Security.BreachedPassword;

internal sealed class BreachedPasswordStateDefinition : SagaDefinition<BreachedPasswordState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<BreachedPasswordState> sagaConfigurator, IRegistrationContext context)
    {
        SecurityEndpoint.Configure(endpointConfigurator, context);
        sagaConfigurator.Message<Auth0BreachedPassword>(m => m.UseFilter(new KeyedEntriesFilter<Auth0BreachedPassword>(SecurityKeys.User)));
        sagaConfigurator.Message<Auth0BreachedPasswordOnSignup>(m => m.UseFilter(new KeyedEntriesFilter<Auth0BreachedPasswordOnSignup>(SecurityKeys.User)));
        sagaConfigurator.Message<Auth0BreachedPasswordOnReset>(m => m.UseFilter(new KeyedEntriesFilter<Auth0BreachedPasswordOnReset>(SecurityKeys.User)));
    }
}
