using System.Globalization;

namespace EventHub.LoadTest;

/// <summary>
/// One histogram of the host's <c>/metrics</c> scrape (Prometheus text): cumulative counts per upper bound, summed over
/// label sets. Two scrapes give the observations made between them; percentiles are interpolated within a bucket, so
/// they are as fine as the host's buckets. Bounds are read in seconds and reported in milliseconds.
/// </summary>
internal sealed class HostHistogram(SortedDictionary<double, double> cumulative)
{
    SortedDictionary<double, double> Buckets => cumulative;

    public double Count => cumulative.Count == 0 ? 0 : cumulative.Values.Last();

    /// <summary>
    /// The histogram's buckets in one <c>/metrics</c> scrape, summed over the label sets that contain
    /// <paramref name="label"/> (all when null); bounds in seconds unless <paramref name="milliseconds"/>.
    /// </summary>
    public static HostHistogram Parse(string scrape, string name, string? label = null, bool milliseconds = false)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var line in scrape.Split('\n'))
        {
            if (!line.StartsWith(name + "_bucket{", StringComparison.Ordinal) || label is not null && !line.Contains(label, StringComparison.Ordinal))
                continue;
            var le = line.IndexOf("le=\"", StringComparison.Ordinal) + 4;
            var bound = line[le..line.IndexOf('"', le)];
            var upper = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture) * (milliseconds ? 1 : 1000);
            var value = double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            buckets[upper] = buckets.GetValueOrDefault(upper) + value;
        }

        return new HostHistogram(buckets);
    }

    /// <summary>What was observed after <paramref name="before"/> was scraped.</summary>
    public HostHistogram Since(HostHistogram before) =>
        new(new SortedDictionary<double, double>(cumulative.ToDictionary(b => b.Key, b => b.Value - before.CumulativeAt(b.Key))));

    /// <summary>Several copies' histograms as one.</summary>
    public static HostHistogram Sum(IReadOnlyList<HostHistogram> histograms)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var histogram in histograms)
            foreach (var (upper, count) in histogram.Buckets)
                buckets[upper] = buckets.GetValueOrDefault(upper) + count;
        return new HostHistogram(buckets);
    }

    double CumulativeAt(double upper) => cumulative.GetValueOrDefault(upper);

    public double Percentile(double p)
    {
        var total = Count;
        if (total <= 0)
            return double.NaN;
        var rank = p / 100 * total;
        var (lower, below) = (0.0, 0.0);
        foreach (var (upper, atOrBelow) in cumulative)
        {
            if (atOrBelow >= rank)
                return double.IsPositiveInfinity(upper) ? lower : lower + (upper - lower) * ((rank - below) / Math.Max(atOrBelow - below, 1));
            (lower, below) = (upper, atOrBelow);
        }

        return lower;
    }
}
