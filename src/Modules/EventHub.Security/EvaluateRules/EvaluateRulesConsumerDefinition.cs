using EventHub.Security.Detection;
using EventHub.Publishing;
using MassTransit;

namespace EventHub.Security.EvaluateRules;

/// <summary>
/// Every Auth0 entry comes here, a publish's entries in one <see cref="Contracts.HubEventBatch"/> (docs/adr/0031), and
/// those batches are consumed in batches too: one at a time with a save per entry, this queue fell about 19,000 entries
/// behind a 15 s ingest (issue 26). A batch closes at <see cref="MessageLimit"/> messages or <see cref="TimeLimit"/>
/// after its first, so a lone entry waits at most that long. Two batches at a time per host copy: one is matched and
/// counted while the other's alerts wait for the broker (counting itself is one batch at a time, CorrelationTracker).
/// </summary>
internal sealed class EvaluateRulesConsumerDefinition : ConsumerDefinition<EvaluateRulesConsumer>
{
    // Messages: up to 10 batch messages (each up to 500 entries, several requests' coalesced); single entries of a previous
    // release (ADR 0031), 10 of them. 40 at a time caught up with a 15 s flood a little sooner (31.6 s after it against
    // 38.1 s) and doubled the host's peak memory (1,052 MB against 563-626): bench/results/2026-12-06T145004Z.json.
    public const int MessageLimit = 10;

    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    // Publishing a batch's alerts took a third of the consumer's time on the bench's real mix (100-200 alerts a batch).
    const int BatchesAtATime = 2;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<EvaluateRulesConsumer> consumerConfigurator, IRegistrationContext context)
    {
        SecurityEndpoint.Configure(endpointConfigurator, context, concurrentMessageLimit: MessageLimit * BatchesAtATime);
        endpointConfigurator.PrefetchCount = MessageLimit * (BatchesAtATime + 1);
        // How the hub writes its batches (docs/adr/0032); a previous release's envelopes are still read by the default.
        endpointConfigurator.AddDeserializer(HubEventBatchSerializer.Instance);
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(BatchesAtATime));
    }
}
