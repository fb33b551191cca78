namespace EventHub.LoadTest;

/// <summary>Latency samples in milliseconds, thread-safe, with nearest-rank percentiles.</summary>
internal sealed class Latencies
{
    readonly List<double> _samples = [];

    public int Count
    {
        get { lock (_samples) return _samples.Count; }
    }

    public void Add(double milliseconds)
    {
        lock (_samples)
            _samples.Add(milliseconds);
    }

    public double Percentile(double p)
    {
        lock (_samples)
        {
            if (_samples.Count == 0)
                return double.NaN;
            var sorted = _samples.Order().ToList();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }
    }

    /// <summary>
    /// The percentile over <paramref name="population"/> items of which only the samples arrived: the missing ones count
    /// as slower than any (infinity when the rank falls among them), so a run that loses or refuses events cannot look fast.
    /// </summary>
    public double PercentileOver(double p, int population)
    {
        lock (_samples)
        {
            var rank = (int)Math.Ceiling(p / 100 * population) - 1;
            return rank >= _samples.Count ? double.PositiveInfinity : _samples.Order().ElementAt(Math.Max(rank, 0));
        }
    }

    public double Max
    {
        get { lock (_samples) return _samples.Count == 0 ? double.NaN : _samples.Max(); }
    }
}
