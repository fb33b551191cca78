namespace EventHub.Contracts.Auth0.EventStreams;

/// <summary>An Auth0 Event Streams <c>organization.*</c> event: the organization itself, its members, their roles or its connections.</summary>
public interface IAuth0OrganizationChange : IAuth0ChangeEvent
{
}
