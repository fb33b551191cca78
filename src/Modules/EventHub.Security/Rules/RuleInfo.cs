namespace EventHub.Security.Rules;

/// <summary>
/// What a rule says about itself and where it came from (<see cref="File"/> is <c>builtin/…</c> or a path under the rules
/// folder). <see cref="Name"/> ends its alerts' event name and is unique in the set; <see cref="Reference"/> is the
/// document's own <c>name</c>, which correlations of the same file refer to.
/// </summary>
internal sealed record RuleInfo(
    string Id,
    string Name,
    string? Reference,
    string Title,
    string Level,
    string Status,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Equivalents,
    string File,
    long Line,
    bool BuiltIn = false);
