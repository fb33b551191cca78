using EventHub.Security.Detection;
using MassTransit;

namespace EventHub.Security.EvaluateRules;

/// <summary>
/// Every Auth0 entry comes here, so it is consumed in batches: one at a time with a save per entry, this queue fell
/// about 19,000 entries behind a 15 s ingest (issue 26). A batch closes at <see cref="MessageLimit"/> entries or
/// <see cref="TimeLimit"/> after its first, so a lone entry waits at most that long; one batch at a time per host copy.
/// </summary>
internal sealed class EvaluateRulesConsumerDefinition : ConsumerDefinition<EvaluateRulesConsumer>
{
    public const int MessageLimit = 100;

    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<EvaluateRulesConsumer> consumerConfigurator, IRegistrationContext context)
    {
        SecurityEndpoint.Configure(endpointConfigurator, context, concurrentMessageLimit: MessageLimit);
        endpointConfigurator.PrefetchCount = MessageLimit * 2;
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(1));
    }
}
