namespace EventHub.Auth0.Backfill;

/// <summary>The Management API refused or failed a request; the message names the request and the status, never a secret.</summary>
internal sealed class ManagementApiException(string message, bool credentialsRejected = false) : Exception(message)
{
    /// <summary>Auth0 rejected the client id/secret or their grant: retrying will not help until the settings change.</summary>
    public bool CredentialsRejected { get; } = credentialsRejected;
}
