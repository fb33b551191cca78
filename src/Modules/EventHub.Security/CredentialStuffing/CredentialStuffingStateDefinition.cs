using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using MassTransit;

namespace EventHub.Security.CredentialStuffing;

internal sealed class CredentialStuffingStateDefinition : SagaDefinition<CredentialStuffingState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<CredentialStuffingState> sagaConfigurator, IRegistrationContext context)
    {
        SecurityEndpoint.Configure(endpointConfigurator, context);
        sagaConfigurator.Message<IAuth0LoginFailure>(m => m.UseFilter(new KeyedEntriesFilter<IAuth0LoginFailure>(SecurityKeys.Ip)));
    }
}
