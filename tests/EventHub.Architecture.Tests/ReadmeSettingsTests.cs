using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using EventHub.TestSupport;

namespace EventHub.Architecture.Tests;

/// <summary>
/// The README's settings table is the operator's reference: every setting the code binds must be in it, and the compose
/// file may only use settings it documents. Found by reflection, so a new option without a README row fails here.
/// </summary>
public sealed partial class ReadmeSettingsTests
{
    static readonly string Root = HostProcess.RepositoryRoot();
    static readonly string Readme = File.ReadAllText(Path.Combine(Root, "README.md"));

    [Fact]
    public void Every_bound_option_should_have_a_row_in_the_readme()
    {
        var settings = BoundSettings().ToList();
        Assert.Contains("EventHub__Listeners__AllowPrivateTargets", settings);
        Assert.Contains("EventHub__Logging__IncludePii", settings);

        var missing = settings.Where(setting => !Readme.Contains($"`{setting}", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"README.md has no row for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Compose_should_only_use_settings_the_readme_documents()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker", "compose.yaml"));
        var used = SettingInCompose().Matches(compose).Select(m => m.Groups["name"].Value).Distinct().ToList();
        Assert.Contains("EventHub__Transport", used);

        // A list element is documented as its first (__0); a key of a named map as its placeholder (EventHub__Keys__<name>).
        var undocumented = used
            .Select(setting => Regex.Replace(Regex.Replace(setting, "__[1-9][0-9]*$", "__0"), "^EventHub__Keys__[^_]+", "EventHub__Keys__<name>"))
            .Where(setting => !Readme.Contains($"`{setting}`", StringComparison.Ordinal))
            .ToList();
        Assert.True(undocumented.Count == 0, $"docker/compose.yaml uses settings README.md does not document: {string.Join(", ", undocumented)}");
    }

    /// <summary>
    /// <c>EventHub__&lt;section&gt;__&lt;property&gt;</c> for every property of every options class (a class named
    /// <c>*Options</c> with a <c>Section</c> constant), and every <c>EventHub:...</c> key constant the code reads directly.
    /// A list property is documented as its first element (<c>__0</c>).
    /// </summary>
    static IEnumerable<string> BoundSettings()
    {
        var types = Solution.SourceProjectNames.Select(Solution.Load).SelectMany(assembly => assembly.GetTypes()).ToList();
        foreach (var type in types.Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal)))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue() is not string section)
                continue;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
            {
                var name = $"{section}:{property.Name}".Replace(":", "__", StringComparison.Ordinal);
                yield return property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType) ? name + "__0" : name;
            }
        }

        foreach (var field in types.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)).Where(f => f.IsLiteral))
        {
            if (field.GetRawConstantValue() is string key && key.StartsWith("EventHub:", StringComparison.Ordinal))
                yield return key.Replace(":", "__", StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"(?<name>(EventHub|ConnectionStrings)__[A-Za-z0-9_]+)\s*:")]
    private static partial Regex SettingInCompose();
}
