using EventHub.Contracts.Security;
using EventHub.Storage.Sagas;
using MassTransit;

namespace EventHub.Security.BreachedPassword;

/// <summary>One user's breached-password entries on one UTC day (of the entries' dates): one alert for all of them.</summary>
internal sealed class BreachedPasswordState : SagaStateMachineInstance, IExpiringSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Version { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public string TriggerLogId { get; set; } = "";

    public BreachedPasswordDetected? Alert { get; set; }
}
