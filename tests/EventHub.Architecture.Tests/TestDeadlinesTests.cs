using System.Globalization;
using System.Text.RegularExpressions;
using EventHub.TestSupport;

namespace EventHub.Architecture.Tests;

/// <summary>
/// A wait in a test ends at its deadline only when something hangs. A deadline a slow run can reach is a timing assertion
/// in disguise: CI ran a 30 s wait for a pull delivery that a loaded machine took longer for. Waits use
/// <see cref="Eventually.DefaultLimit"/> (or a longer limit of their own).
/// </summary>
public sealed partial class TestDeadlinesTests
{
    static readonly string Root = HostProcess.RepositoryRoot();

    [Fact]
    public void No_test_waits_for_a_task_with_a_literal_deadline()
    {
        var found = TestSources().SelectMany(file => Lines(file).Where(l => LiteralWaitAsync().IsMatch(l.Text)).Select(l => $"{l.Where}: {l.Text.Trim()}")).ToList();
        Assert.True(found.Count == 0, $"WaitAsync with a literal deadline (use Eventually.DefaultLimit):\n{string.Join("\n", found)}");
    }

    [Fact]
    public void No_eventually_gives_up_sooner_than_the_default_limit()
    {
        var found = TestSources()
            .SelectMany(file => Lines(file).Where(l => l.Text.Contains("UntilAsync(", StringComparison.Ordinal)))
            .Where(l => LimitInSeconds().Matches(l.Text).Any(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) < Eventually.DefaultLimit.TotalSeconds))
            .Select(l => $"{l.Where}: {l.Text.Trim()}")
            .ToList();
        Assert.True(found.Count == 0, $"Eventually.UntilAsync with a limit under {Eventually.DefaultLimit}:\n{string.Join("\n", found)}");
    }

    [Fact]
    public void The_scan_sees_the_test_sources()
    {
        Assert.Contains(TestSources(), file => file.EndsWith("TestDeadlinesTests.cs", StringComparison.Ordinal));
        Assert.Matches(LiteralWaitAsync(), "await done.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);");
        Assert.Matches(LimitInSeconds(), "await Eventually.UntilAsync(probe, done, TimeSpan.FromSeconds(40), \"x\");");
    }

    static IEnumerable<string> TestSources() =>
        Directory.EnumerateFiles(Path.Combine(Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>The lines of a test source, but this file's (its examples are what the scan looks for).</summary>
    static IEnumerable<(string Where, string Text)> Lines(string file) =>
        file.EndsWith("TestDeadlinesTests.cs", StringComparison.Ordinal)
            ? []
            : File.ReadLines(file).Select((text, i) => ($"{Path.GetRelativePath(Root, file)}:{i + 1}", text));

    [GeneratedRegex(@"\.WaitAsync\(TimeSpan\.From\w+\(")]
    private static partial Regex LiteralWaitAsync();

    [GeneratedRegex(@"TimeSpan\.FromSeconds\((\d+)\)")]
    private static partial Regex LimitInSeconds();
}
