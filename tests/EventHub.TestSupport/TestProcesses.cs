namespace EventHub.TestSupport;

/// <summary>
/// Records the id of every long-lived process a test starts (host copies, broker nodes, database servers) in the file
/// that <c>./build.sh test</c> names in <c>EVENTHUB_TEST_PIDS</c>, so that what a crashed or hung test left running is
/// stopped by id when the run ends, never by a name that another run on the same machine could share.
/// </summary>
public static class TestProcesses
{
    static readonly string? File = Environment.GetEnvironmentVariable("EVENTHUB_TEST_PIDS");
    static readonly Lock Gate = new();

    public static void Record(int pid)
    {
        if (string.IsNullOrEmpty(File))
            return;
        lock (Gate)
            System.IO.File.AppendAllText(File, pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>Records the id a server wrote to its pid file (first line), when the file is there.</summary>
    public static void RecordFromPidFile(string path)
    {
        if (System.IO.File.Exists(path) && int.TryParse(System.IO.File.ReadLines(path).FirstOrDefault()?.Trim(), out var pid))
            Record(pid);
    }
}
