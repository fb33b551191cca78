using System.Diagnostics;

namespace EventHub.LoadTest;

/// <summary>
/// The broker's and the database's CPU per item over a phase (each with its child processes: PostgreSQL's backends), less
/// what each spends idle (schedulers, timers, statistics, checkpoints) over the same wall time: at a few dozen items a
/// second on a busy machine the idle share would otherwise outweigh the work per item.
/// </summary>
internal sealed class ServerCpu
{
    readonly Server _broker;
    readonly Server _database;
    long _started;

    ServerCpu(Server broker, Server database)
    {
        _broker = broker;
        _database = database;
    }

    public double BrokerIdlePerSecond => _broker.IdlePerSecond;

    public double DatabaseIdlePerSecond => _database.IdlePerSecond;

    /// <summary>Waits <paramref name="idle"/> (the host settling) while reading what the servers spend doing nothing.</summary>
    public static async Task<ServerCpu> MeasureIdleAsync(int? brokerPid, int? databasePid, TimeSpan idle)
    {
        var broker = new Server(brokerPid);
        var database = new Server(databasePid);
        broker.Start();
        database.Start();
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(idle);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        broker.IdlePerSecond = broker.Spent() is { } b ? b.TotalMicroseconds / seconds : 0;
        database.IdlePerSecond = database.Spent() is { } d ? d.TotalMicroseconds / seconds : 0;
        return new ServerCpu(broker, database);
    }

    public void Start()
    {
        _broker.Start();
        _database.Start();
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Microseconds of each server's CPU per item since <see cref="Start"/>, the idle share taken out; null when not measured.</summary>
    public (double? Broker, double? Database) PerItem(long items)
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        return (_broker.PerItem(items, seconds), _database.PerItem(items, seconds));
    }

    sealed class Server(int? pid)
    {
        TimeSpan? _before;

        public double IdlePerSecond { get; set; }

        public void Start() => _before = ProcessCpu.ReadTree(pid);

        public TimeSpan? Spent() => ProcessCpu.ReadTree(pid) - _before;

        public double? PerItem(long items, double seconds) =>
            Spent() is { } spent && items > 0 ? Math.Max(0, spent.TotalMicroseconds - IdlePerSecond * seconds) / items : null;
    }
}
