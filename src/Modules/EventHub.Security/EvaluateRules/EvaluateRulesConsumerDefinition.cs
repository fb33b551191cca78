using EventHub.Security.Detection;
using MassTransit;

namespace EventHub.Security.EvaluateRules;

internal sealed class EvaluateRulesConsumerDefinition : ConsumerDefinition<EvaluateRulesConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<EvaluateRulesConsumer> consumerConfigurator, IRegistrationContext context) =>
        SecurityEndpoint.Configure(endpointConfigurator, context);
}
