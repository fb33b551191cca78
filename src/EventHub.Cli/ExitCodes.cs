using EventHub.Client;

namespace EventHub.Cli;

/// <summary>The exit codes scripts can rely on (README, "eventhub CLI"). Every failure also prints one line to stderr.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The hub refused for another reason (409, an unexpected answer), or a forwarded event's listener was removed.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, or input the hub refused as invalid (400, 413, 415, 422).</summary>
    public const int BadInput = 2;

    /// <summary>No key, or the hub refused the key (401, 403).</summary>
    public const int BadKey = 3;

    /// <summary>The hub could not be reached, timed out, or is unavailable (5xx).</summary>
    public const int Unreachable = 4;

    /// <summary>The listener or event asked for does not exist (404).</summary>
    public const int NotFound = 5;

    public static int Of(Exception error) => error switch
    {
        UsageException => BadInput,
        EventHubValidationException => BadInput,
        EventHubAuthenticationException => BadKey,
        EventHubUnavailableException => Unreachable,
        EventHubNotFoundException => NotFound,
        _ => Failed,
    };
}

/// <summary>Arguments that parse but make no sense (a payload that is not JSON, an unknown Auth0 code); names the option.</summary>
internal sealed class UsageException(string message) : Exception(message);
