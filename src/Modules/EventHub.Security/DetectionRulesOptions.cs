namespace EventHub.Security;

internal sealed class DetectionRulesOptions
{
    public const string Section = "EventHub:Detections";

    /// <summary>A folder of Sigma rule files (<c>.yml</c>, <c>.yaml</c>, subfolders included) loaded at startup next to the built-in set.</summary>
    public string? RulesPath { get; init; }
}
