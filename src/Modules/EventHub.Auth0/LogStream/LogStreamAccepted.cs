namespace EventHub.Auth0.LogStream;

/// <summary>The 200 body: how many entries of the batch the broker confirmed.</summary>
internal sealed record LogStreamAccepted(int Accepted);
