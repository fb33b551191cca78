using System.Diagnostics;

namespace EventHub.LoadTest;

/// <summary>
/// CPU time a process has used (user + system, from <c>/proc/&lt;pid&gt;/stat</c>). CPU per entry is the figure a busy,
/// shared machine distorts least: throughput falls when other work takes the cores, the work per entry does not.
/// </summary>
internal static class ProcessCpu
{
    // USER_HZ: the kernel reports utime and stime in 1/100 s on every Linux .NET runs on.
    const double TicksPerSecond = 100;

    public static TimeSpan? Read(int? pid)
    {
        if (pid is null)
            return null;
        if (pid == Environment.ProcessId)
            return Process.GetCurrentProcess().TotalProcessorTime;
        var path = $"/proc/{pid}/stat";
        if (!File.Exists(path))
            return null;
        var stat = File.ReadAllText(path);
        // Fields after the command name (which may hold spaces) start after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>
    /// CPU time of a server and its child processes (PostgreSQL's backends, the Erlang VM's helpers): its own and its
    /// ended children's (cutime, cstime), and every live child's; null when it is not a process of this machine.
    /// </summary>
    public static TimeSpan? ReadTree(int? pid)
    {
        if (pid is null || Fields(pid.Value) is not { } own)
            return null;
        var ticks = Ticks(own, withEndedChildren: true);
        foreach (var child in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(child), System.Globalization.CultureInfo.InvariantCulture, out var childPid) || childPid == pid)
                continue;
            if (Fields(childPid) is { } fields && fields[1] == pid.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
                ticks += Ticks(fields, withEndedChildren: true);
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    // Fields after the command name (which may hold spaces), which ends at the last ')': state, ppid, ...
    static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    static long Ticks(string[] fields, bool withEndedChildren)
    {
        var ticks = 0L;
        for (var i = 11; i <= (withEndedChildren ? 14 : 12); i++)
            ticks += long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
        return ticks;
    }

    /// <summary>Microseconds of CPU per item between two readings, or null.</summary>
    public static double? PerItem(TimeSpan? before, TimeSpan? after, long items) =>
        before is { } b && after is { } a && items > 0 ? (a - b).TotalMicroseconds / items : null;
}
