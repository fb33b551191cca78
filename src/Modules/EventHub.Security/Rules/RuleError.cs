namespace EventHub.Security.Rules;

/// <summary>Why a rule cannot be used, at which line of its file: the rule is refused, the others load.</summary>
internal sealed class RuleError(string message, long line) : Exception(message)
{
    public long Line { get; } = line;
}
