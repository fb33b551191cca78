namespace EventHub.Storage.Startup;

/// <summary>Why the host stops before it ever used its database: one line for the operator, and the exit code.</summary>
public sealed class DatabaseStartupException(string message, int exitCode) : Exception(message)
{
    /// <summary>2 for a setting to fix (as every other bad setting), 1 for a database that never answered.</summary>
    public int ExitCode { get; } = exitCode;
}
