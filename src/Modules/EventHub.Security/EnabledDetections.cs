namespace EventHub.Security;

/// <summary>Which detections run, read while the host is composed: a switched-off detection gets no queue and no state.</summary>
internal sealed record EnabledDetections(bool BruteForce, bool CredentialStuffing, bool BreachedPassword)
{
    public static readonly EnabledDetections All = new(true, true, true);
}
