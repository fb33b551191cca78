using System.Globalization;

namespace EventHub.LoadTest;

/// <summary>
/// CPU time of the host's tiered-compilation thread (<c>.NET Tiered Com</c> in <c>/proc/&lt;pid&gt;/task/*/comm</c>): the
/// runtime recompiling hot methods optimized (tier 1, with dynamic PGO) in the background. A fresh host keeps that
/// thread busy for a minute or more of load; a host that has run for hours has long finished. The runtime ends the
/// thread after a few idle seconds and starts another when work comes, so the threads are sampled while a phase runs and
/// each one counted at the most it was seen to have used.
/// </summary>
internal sealed class TieredCompiler : IAsyncDisposable
{
    const string ThreadName = ".NET Tiered Com";
    readonly int _pid;
    readonly Dictionary<int, TimeSpan> _used = [];
    readonly Dictionary<int, TimeSpan> _baseline;
    readonly CancellationTokenSource _stop = new();
    readonly Task _sampling;

    TieredCompiler(int pid)
    {
        _pid = pid;
        Sample();
        _baseline = new(_used);
        _sampling = SampleUntilStoppedAsync();
    }

    /// <summary>Starts sampling the host's tiered-compilation threads; null when the host is not a process of this machine.</summary>
    public static TieredCompiler? Watch(int? pid) => pid is { } p && Directory.Exists($"/proc/{p}/task") ? new TieredCompiler(p) : null;

    /// <summary>CPU the tiered-compilation threads used since <see cref="Watch"/>.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Sample();
        return _used.Aggregate(TimeSpan.Zero, (sum, thread) => sum + thread.Value - _baseline.GetValueOrDefault(thread.Key));
    }

    async Task SampleUntilStoppedAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
                Sample();
        }
        catch (OperationCanceledException)
        {
        }
    }

    void Sample()
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{_pid}/task");
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var task in tasks)
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != ThreadName || ProcessCpu.ReadThread(task) is not { } used)
                    continue;
                var tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                if (used > _used.GetValueOrDefault(tid))
                    _used[tid] = used;
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read: its last sample stands.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await StopAsync();
        _stop.Dispose();
    }
}
