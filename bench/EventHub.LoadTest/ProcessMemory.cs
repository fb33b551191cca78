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

    /// <summary>Resident kilobytes per mapped file (anonymous memory as one line), largest first, from <c>/proc/&lt;pid&gt;/smaps</c>.</summary>
    public static IEnumerable<(string Mapping, long Kb)> LargestMappings(int pid, int count)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var current = "";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal))
                current = fields.Length >= 6 ? string.Join(' ', fields[5..]) : "[anonymous]";
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
                totals[current] = totals.GetValueOrDefault(current) + Kilobytes(line);
        }

        return totals.OrderByDescending(t => t.Value).Take(count).Select(t => (t.Key, t.Value));
    }

    static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
