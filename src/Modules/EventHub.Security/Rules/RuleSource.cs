namespace EventHub.Security.Rules;

/// <summary>
/// One YAML file of rules: its name as reported (<c>builtin/x.yml</c> or the path in the rules folder) and its text.
/// <see cref="BuiltIn"/> is not read from the name: an operator's folder may have a <c>builtin</c> folder of its own.
/// </summary>
internal sealed record RuleSource(string File, string Text, bool BuiltIn = false);
