using System.Diagnostics;

namespace EventHub.LoadTest;

/// <summary>
/// The broker's CPU per item over a phase, less what it spends idle (its schedulers, timers, statistics) over the same
/// wall time: at a few dozen items a second on a busy machine the idle share would otherwise outweigh the work per item.
/// </summary>
internal sealed class BrokerCpu
{
    readonly int? _pid;
    TimeSpan? _before;
    long _started;

    BrokerCpu(int? pid, double idleMicrosecondsPerSecond)
    {
        _pid = pid;
        IdleMicrosecondsPerSecond = idleMicrosecondsPerSecond;
    }

    public double IdleMicrosecondsPerSecond { get; }

    /// <summary>Waits <paramref name="idle"/> (the host settling) while reading what the broker spends doing nothing.</summary>
    public static async Task<BrokerCpu> MeasureIdleAsync(int? pid, TimeSpan idle)
    {
        var before = ProcessCpu.Read(pid);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(idle);
        var spent = ProcessCpu.Read(pid) - before;
        return new BrokerCpu(pid, spent is { } s ? s.TotalMicroseconds / Stopwatch.GetElapsedTime(started).TotalSeconds : 0);
    }

    public void Start()
    {
        _before = ProcessCpu.Read(_pid);
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Microseconds of broker CPU per item since <see cref="Start"/>, the idle share taken out; null when not measured.</summary>
    public double? PerItem(long items) =>
        ProcessCpu.Read(_pid) - _before is { } spent && items > 0
            ? Math.Max(0, spent.TotalMicroseconds - IdleMicrosecondsPerSecond * Stopwatch.GetElapsedTime(_started).TotalSeconds) / items
            : null;
}
