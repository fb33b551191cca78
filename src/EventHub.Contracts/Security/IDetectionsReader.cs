namespace EventHub.Contracts.Security;

/// <summary>The detection rules as other modules (the dashboard) read them, in process: implemented by the security module (absent when it is off).</summary>
public interface IDetectionsReader
{
    /// <summary>The rules loaded, with this host copy's counters, and the rules refused.</summary>
    DetectionList Read();
}
