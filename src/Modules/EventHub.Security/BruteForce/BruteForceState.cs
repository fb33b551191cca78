using EventHub.Security.Detection;
using EventHub.Storage.Sagas;
using MassTransit;

namespace EventHub.Security.BruteForce;

/// <summary>Failed logins of one account (per Auth0 tenant), for the brute-force detection.</summary>
internal sealed class BruteForceState : SagaStateMachineInstance, IExpiringSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Version { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public string Source { get; set; } = "";

    public string User { get; set; } = "";

    public Burst Burst { get; set; } = new();
}
