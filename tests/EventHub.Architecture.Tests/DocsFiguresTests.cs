using System.Text.RegularExpressions;
using EventHub.TestSupport;

namespace EventHub.Architecture.Tests;

/// <summary>
/// A figure in the docs points to the run that produced it. What can be checked without a run: the results files the docs
/// name exist, and BenchmarkDotNet tables are copied from a committed export, never typed by hand.
/// </summary>
public sealed partial class DocsFiguresTests
{
    static readonly string Root = HostProcess.RepositoryRoot();

    static IEnumerable<string> Docs() =>
        Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(Root, "README.md"));

    [Fact]
    public void Every_results_file_the_docs_name_is_committed()
    {
        var named = Docs().SelectMany(doc => ResultsPath().Matches(File.ReadAllText(doc)).Select(m => (Doc: Path.GetFileName(doc), m.Value))).ToList();
        Assert.Contains(named, n => n.Value.EndsWith(".json", StringComparison.Ordinal));

        var missing = named.Where(n => !Matches(n.Value).Any()).Select(n => $"{n.Doc}: {n.Value}").ToList();
        Assert.True(missing.Count == 0, $"named in the docs, not in bench/results: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_benchmarkdotnet_table_in_the_docs_is_a_committed_export()
    {
        var exported = Directory.EnumerateFiles(Path.Combine(Root, "bench", "results", "bdn"), "*-report-github.md")
            .SelectMany(File.ReadAllLines).ToHashSet(StringComparer.Ordinal);
        var tables = Docs().SelectMany(doc => File.ReadAllLines(doc).Where(line => BenchmarkRow().IsMatch(line)).Select(line => (Doc: Path.GetFileName(doc), Line: line))).ToList();
        Assert.Contains(tables, t => t.Line.StartsWith("| Method", StringComparison.Ordinal));

        var typed = tables.Where(t => !exported.Contains(t.Line)).Select(t => $"{t.Doc}: {t.Line}").ToList();
        Assert.True(typed.Count == 0, $"BenchmarkDotNet rows not in any bench/results/bdn/*-report-github.md:\n{string.Join("\n", typed)}");
    }

    /// <summary>The files a path like <c>bench/results/bdn/2026-12-06T1032Z-*</c> stands for.</summary>
    static IEnumerable<string> Matches(string path)
    {
        var directory = Path.Combine(Root, Path.GetDirectoryName(path)!);
        return Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory, Path.GetFileName(path)) : [];
    }

    [GeneratedRegex(@"bench/results/[A-Za-z0-9_./*-]*[A-Za-z0-9*]")]
    private static partial Regex ResultsPath();

    /// <summary>BenchmarkDotNet's GitHub table: a <c>| Method</c> header and rows with a <c>μs</c>/<c>ns</c>/<c>ms</c> mean.</summary>
    [GeneratedRegex(@"^\| (Method +\||\S+ +\| +[0-9.,]+ (μs|ns|ms) \|)")]
    private static partial Regex BenchmarkRow();
}
