namespace EventHub.Contracts.Auth0.EventStreams;

/// <summary>An Auth0 Event Streams <c>group.*</c> event.</summary>
public interface IAuth0GroupChange : IAuth0ChangeEvent
{
}
