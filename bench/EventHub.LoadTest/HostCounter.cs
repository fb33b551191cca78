using System.Globalization;

namespace EventHub.LoadTest;

/// <summary>One counter of the host's <c>/metrics</c> scrape (Prometheus text), summed over its label sets.</summary>
internal static class HostCounter
{
    public static double Parse(string scrape, string name)
    {
        var total = 0.0;
        foreach (var line in scrape.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal))
                continue;
            var labelsEnd = line.LastIndexOf('}');
            var rest = labelsEnd >= 0 ? line[(labelsEnd + 1)..] : line[name.Length..];
            total += double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return total;
    }
}
