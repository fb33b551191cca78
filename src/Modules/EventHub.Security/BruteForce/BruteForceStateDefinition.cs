using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using MassTransit;

namespace EventHub.Security.BruteForce;

internal sealed class BruteForceStateDefinition : SagaDefinition<BruteForceState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<BruteForceState> sagaConfigurator, IRegistrationContext context)
    {
        SecurityEndpoint.Configure(endpointConfigurator, context);
        sagaConfigurator.Message<IAuth0LoginFailure>(m => m.UseFilter(new KeyedEntriesFilter<IAuth0LoginFailure>(SecurityKeys.User)));
        sagaConfigurator.Message<IAuth0LoginSuccess>(m => m.UseFilter(new KeyedEntriesFilter<IAuth0LoginSuccess>(SecurityKeys.User)));
    }
}
