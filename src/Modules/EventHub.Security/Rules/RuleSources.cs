namespace EventHub.Security.Rules;

/// <summary>Where rule files come from: the module's built-in set (embedded) and the operator's folder.</summary>
internal static class RuleSources
{
    const string BuiltInPrefix = "EventHub.Security.BuiltInRules.";

    /// <summary>A rule file is a few kilobytes; anything this large is not one, and is refused rather than parsed.</summary>
    const long MaxFileBytes = 1024 * 1024;

    public static IEnumerable<RuleSource> BuiltIn()
    {
        var assembly = typeof(RuleSources).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(BuiltInPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return new RuleSource("builtin/" + resource[BuiltInPrefix.Length..], reader.ReadToEnd(), BuiltIn: true);
        }
    }

    /// <summary>Every <c>.yml</c> and <c>.yaml</c> file under <paramref name="folder"/>, by path; a file that cannot be read is refused.</summary>
    public static IEnumerable<RuleSource> Folder(string folder, List<RefusedRule> refused)
    {
        var files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var shown = Path.GetRelativePath(folder, file);
            string? text = null;
            try
            {
                text = new FileInfo(file).Length > MaxFileBytes ? null : File.ReadAllText(file);
                if (text is null)
                    refused.Add(new RefusedRule(shown, 0, null, $"larger than {MaxFileBytes / 1024} KB"));
            }
            catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
            {
                refused.Add(new RefusedRule(shown, 0, null, $"cannot be read: {unreadable.Message}"));
            }

            if (text is not null)
                yield return new RuleSource(shown, text);
        }
    }
}
