namespace EventHub.Auth0.EventStreams;

/// <summary>The 200 body: how many events of the request the broker confirmed.</summary>
internal sealed record EventStreamAccepted(int Accepted);
