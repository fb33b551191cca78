namespace EventHub.Contracts.Security;

/// <summary>Every detection rule loaded (with what it did in this host copy) and every rule refused, with why (<c>GET /v1/detections</c>).</summary>
/// <param name="Loaded">How many rules were loaded.</param>
/// <param name="RefusedCount">How many were refused.</param>
/// <param name="Rules">The rules loaded.</param>
/// <param name="Refused">The rules refused.</param>
public sealed record DetectionList(int Loaded, int RefusedCount, IReadOnlyList<LoadedDetection> Rules, IReadOnlyList<RefusedDetection> Refused);

/// <summary>A detection rule loaded.</summary>
/// <param name="Id">The rule's Sigma id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Event">The name of the alert event it raises.</param>
/// <param name="Title">Its title.</param>
/// <param name="Level">Its Sigma level.</param>
/// <param name="Status">Its Sigma status.</param>
/// <param name="Tags">Its Sigma tags.</param>
/// <param name="Equivalents">The built-in detections it stands for.</param>
/// <param name="File">The file it was loaded from.</param>
/// <param name="Line">Its line in that file.</param>
/// <param name="Correlation">The correlation type, or null for a rule over single entries.</param>
/// <param name="Alerts">Whether its matches raise alerts of their own (a rule used only by correlations does not, nor a built-in detection switched off by its setting).</param>
/// <param name="UsedBy">The correlations counting this rule's matches.</param>
/// <param name="Matches">Entries matched since this host copy started.</param>
/// <param name="AlertsRaised">Alerts raised since this host copy started.</param>
public sealed record LoadedDetection(
    string Id,
    string Name,
    string Event,
    string Title,
    string Level,
    string Status,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Equivalents,
    string File,
    long Line,
    string? Correlation,
    bool Alerts,
    IReadOnlyList<string> UsedBy,
    long Matches,
    long AlertsRaised);

/// <summary>A detection rule refused.</summary>
/// <param name="File">The file it was read from.</param>
/// <param name="Line">Its line in that file.</param>
/// <param name="Title">Its title, when it had one.</param>
/// <param name="Reason">Why it was refused.</param>
public sealed record RefusedDetection(string File, long Line, string? Title, string Reason);
