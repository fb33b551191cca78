namespace EventHub.Security.Rules;

/// <summary>One YAML file of rules: its name as reported (<c>builtin/x.yml</c> or the path in the rules folder) and its text.</summary>
internal sealed record RuleSource(string File, string Text);
