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

    public double Max
    {
        get { lock (_samples) return _samples.Count == 0 ? double.NaN : _samples.Max(); }
    }
}
