using EventHub.Security.TypedAlerts;

namespace EventHub.Security.Rules;

/// <summary>
/// A Sigma correlation rule, reduced to one question: within <see cref="Timespan"/> of the entries' own dates, do the
/// matches of one <see cref="GroupBy"/> group have at least <see cref="Threshold"/> distinct subjects? The subject is the
/// entry (<c>event_count</c>), the value of <see cref="Field"/> (<c>value_count</c>) or the rule that matched (<c>temporal</c>).
/// A built-in correlation with an <see cref="Alert"/> raises that typed alert instead of a <c>SigmaDetection</c>.
/// </summary>
internal sealed record SigmaCorrelation(
    RuleInfo Info,
    string Type,
    IReadOnlyList<SigmaRule> Rules,
    IReadOnlyList<FieldPath> GroupBy,
    TimeSpan Timespan,
    int Threshold,
    FieldPath? Field,
    bool Generate,
    TypedAlert? Alert = null);
