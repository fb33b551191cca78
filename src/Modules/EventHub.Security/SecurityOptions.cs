namespace EventHub.Security;

internal sealed class SecurityOptions
{
    public const string Section = "EventHub:Security";

    public BurstOptions BruteForce { get; init; } = new() { Threshold = 10, Window = TimeSpan.FromMinutes(5) };

    public BurstOptions CredentialStuffing { get; init; } = new() { Threshold = 20, Window = TimeSpan.FromMinutes(10) };

    /// <summary>How long a detection's state is kept after its last change (wall clock) before it is cleaned up.</summary>
    public TimeSpan StateRetention { get; init; } = TimeSpan.FromDays(2);
}

/// <summary>A burst detection's numbers; whether it runs at all is a switch (<c>…__Enabled</c>, HubSwitches), not an option.</summary>
internal sealed class BurstOptions
{
    /// <summary>Failures (brute force) or distinct users (credential stuffing) within <see cref="Window"/> that raise an alert.</summary>
    public int Threshold { get; init; }

    public TimeSpan Window { get; init; }
}
