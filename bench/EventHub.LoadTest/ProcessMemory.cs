namespace EventHub.LoadTest;

/// <summary>Resident memory of a process from <c>/proc/&lt;pid&gt;/status</c>: VmRSS now, VmHWM the peak since it started.</summary>
internal static class ProcessMemory
{
    public static (double RssMb, double PeakMb)? Read(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/status"))
            return null;
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kilobytes(line) / 1024.0;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = Kilobytes(line) / 1024.0;
        }

        return (rss, peak);
    }

    static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
