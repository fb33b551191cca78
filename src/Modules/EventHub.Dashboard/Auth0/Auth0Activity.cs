using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EventHub.Dashboard.Auth0;

/// <summary>
/// What the Auth0 page shows, counted by this copy since it started: entries seen on the bus (every copy sees all of
/// them, so this is the whole hub's stream), per minute for the last hour, and unrecognized entries by reason; and, from
/// the Auth0 module's own meter (<c>EventHub.Auth0</c>, read by name, no reference to the module), the log stream
/// requests this copy refused, by reason.
/// </summary>
internal sealed class Auth0Activity : IDisposable
{
    public const int Minutes = 60;
    const string Auth0Meter = "EventHub.Auth0";
    const string RejectedInstrument = "eventhub.auth0.batches.rejected";

    readonly TimeProvider _time;
    readonly long[] _perMinute = new long[Minutes];
    readonly long[] _minuteOf = new long[Minutes];
    readonly ConcurrentDictionary<string, long> _unrecognized = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    readonly MeterListener _listener = new();
    readonly Lock _lock = new();
    DateTimeOffset? _lastReceivedAt;
    long _total;

    public Auth0Activity(TimeProvider time)
    {
        _time = time;
        Since = time.GetUtcNow();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Auth0Meter && instrument.Name == RejectedInstrument)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var reason = "unknown";
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                    reason = tag.Value?.ToString() ?? reason;
            }

            _rejected.AddOrUpdate(reason, value, (_, count) => count + value);
        });
        _listener.Start();
    }

    public DateTimeOffset Since { get; }

    public void Received(DateTimeOffset receivedAt, string? unrecognizedReason)
    {
        var minute = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
        lock (_lock)
        {
            var slot = (int)(minute % Minutes);
            if (_minuteOf[slot] != minute)
            {
                _minuteOf[slot] = minute;
                _perMinute[slot] = 0;
            }

            _perMinute[slot]++;
            _total++;
            if (_lastReceivedAt is null || receivedAt > _lastReceivedAt)
                _lastReceivedAt = receivedAt;
        }

        if (unrecognizedReason is not null)
            _unrecognized.AddOrUpdate(unrecognizedReason, 1, (_, count) => count + 1);
    }

    public Auth0Snapshot Snapshot()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var perMinute = new long[Minutes];
        DateTimeOffset? last;
        long total;
        lock (_lock)
        {
            for (var age = 0; age < Minutes; age++)
            {
                var minute = now - (Minutes - 1) + age;
                var slot = (int)(minute % Minutes);
                perMinute[age] = _minuteOf[slot] == minute ? _perMinute[slot] : 0;
            }

            last = _lastReceivedAt;
            total = _total;
        }

        return new Auth0Snapshot(Since, last, total, perMinute, Sorted(_unrecognized), Sorted(_rejected));
    }

    static IReadOnlyList<KeyValuePair<string, long>> Sorted(ConcurrentDictionary<string, long> counts) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)];

    public void Dispose() => _listener.Dispose();
}
