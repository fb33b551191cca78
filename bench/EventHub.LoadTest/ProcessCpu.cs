using System.Diagnostics;
using System.Globalization;

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
        return Fields($"/proc/{pid}/stat") is { } fields ? Time(Ticks(fields, withEndedChildren: false)) : null;
    }

    /// <summary>CPU time of one thread (<c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/stat</c>), or null when it has ended.</summary>
    public static TimeSpan? ReadThread(string taskDirectory) =>
        Fields(Path.Combine(taskDirectory, "stat")) is { } fields ? Time(Ticks(fields, withEndedChildren: false)) : null;

    /// <summary>
    /// CPU time of a server and its child processes (PostgreSQL's backends, the Erlang VM's helpers): its own and its
    /// ended children's (cutime, cstime), and every live child's; null when it is not a process of this machine.
    /// </summary>
    public static TimeSpan? ReadTree(int? pid)
    {
        if (pid is null || Fields($"/proc/{pid}/stat") is not { } own)
            return null;
        var parent = pid.Value.ToString(CultureInfo.InvariantCulture);
        var ticks = Ticks(own, withEndedChildren: true);
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (char.IsAsciiDigit(Path.GetFileName(process)[0]) && Fields(Path.Combine(process, "stat")) is { } fields && fields[1] == parent)
                ticks += Ticks(fields, withEndedChildren: true);
        }

        return Time(ticks);
    }

    // The fields after the command name (which may hold spaces and ends at the last ')'): state, ppid, ..., utime at 11,
    // stime, cutime, cstime. Null when the process or thread has ended.
    static string[]? Fields(string statPath)
    {
        try
        {
            var stat = File.ReadAllText(statPath);
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static long Ticks(string[] fields, bool withEndedChildren)
    {
        var ticks = 0L;
        for (var i = 11; i <= (withEndedChildren ? 14 : 12); i++)
            ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
        return ticks;
    }

    static TimeSpan Time(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);

    /// <summary>Microseconds of CPU per item between two readings, or null.</summary>
    public static double? PerItem(TimeSpan? before, TimeSpan? after, long items) =>
        before is { } b && after is { } a && items > 0 ? (a - b).TotalMicroseconds / items : null;
}
