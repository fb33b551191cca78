using EventHub.TestSupport;

namespace EventHub.Contracts.Tests;

/// <summary>Compares a checked-in generated file with what its table generates now, or rewrites it when asked to.</summary>
internal static class GeneratedFile
{
    /// <summary>
    /// Fails, naming the first differing line, when <paramref name="relativePath"/> is not <paramref name="generated"/>;
    /// with <c>EVENTHUB_REGENERATE=1</c> it writes the file instead.
    /// </summary>
    public static void AssertUpToDate(string relativePath, string generated, string tablePath)
    {
        var path = Path.Combine(HostProcess.RepositoryRoot(), relativePath);
        if (Environment.GetEnvironmentVariable("EVENTHUB_REGENERATE") == "1")
        {
            File.WriteAllText(path, generated);
            return;
        }

        var checkedIn = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (checkedIn == generated)
            return;

        var expectedLines = generated.Split('\n');
        var actualLines = checkedIn.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
            line++;
        Assert.Fail(
            $"{relativePath} is not what {tablePath} generates (first difference at line {line + 1}: " +
            $"expected '{At(expectedLines, line)}', found '{At(actualLines, line)}'). " +
            "Regenerate with: EVENTHUB_REGENERATE=1 dotnet test --project tests/EventHub.Contracts.Tests");
    }

    static string At(string[] lines, int index) => index < lines.Length ? lines[index] : "<end of file>";
}
