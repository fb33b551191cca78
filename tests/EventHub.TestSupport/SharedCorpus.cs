namespace EventHub.TestSupport;

/// <summary>
/// The real Auth0 payloads in <c>../shared</c> next to the repository (present here and in CI, not elsewhere).
/// Tests over them skip, saying what was not checked, when it is absent.
/// </summary>
public static class SharedCorpus
{
    public static string? Directory()
    {
        var overridden = Environment.GetEnvironmentVariable("EVENTHUB_SHARED_DIR");
        if (!string.IsNullOrEmpty(overridden))
            return System.IO.Directory.Exists(overridden) ? overridden : null;
        var candidate = Path.GetFullPath(Path.Combine(HostProcess.RepositoryRoot(), "..", "shared"));
        return System.IO.Directory.Exists(candidate) ? candidate : null;
    }

    public static string? Auth0FixturesDirectory() =>
        Directory() is { } shared && System.IO.Directory.Exists(Path.Combine(shared, "fixtures", "auth0")) ? Path.Combine(shared, "fixtures", "auth0") : null;

    public static IReadOnlyList<string> Auth0FixtureFiles() =>
        Auth0FixturesDirectory() is { } directory
            ? [.. System.IO.Directory.GetFiles(directory, "*.json").OrderBy(f => f, StringComparer.Ordinal)]
            : [];
}
