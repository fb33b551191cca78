namespace EventHub.Contracts.Auth0.EventStreams;

/// <summary>An Auth0 Event Streams <c>user.*</c> event: <see cref="IAuth0ChangeEvent.Data"/> is the user (personal data: do not log it).</summary>
public interface IAuth0UserChange : IAuth0ChangeEvent
{
}
