using EventHub.Security.Detection;
using EventHub.Storage.Sagas;
using MassTransit;

namespace EventHub.Security.CredentialStuffing;

/// <summary>Failed logins from one IP address (per Auth0 tenant), for the credential-stuffing detection.</summary>
internal sealed class CredentialStuffingState : SagaStateMachineInstance, IExpiringSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Version { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public string Source { get; set; } = "";

    public string Ip { get; set; } = "";

    public Burst Burst { get; set; } = new();
}
