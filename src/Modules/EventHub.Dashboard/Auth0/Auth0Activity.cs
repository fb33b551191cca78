using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EventHub.Dashboard.Auth0;

/// <summary>
/// What the Auth0 page shows, counted by this copy since it started from the Auth0 module's own meter
/// (<c>EventHub.Auth0</c>, read by name, no reference to the module): the log stream entries this copy accepted, per
/// minute for the last hour, unrecognized entries by reason, and the requests it refused, by reason. Read from the meter,
/// not the bus: a consumer of every entry cost a delivery per entry whether or not anyone looked (docs/adr/0021).
/// </summary>
internal sealed class Auth0Activity : IDisposable
{
    public const int Minutes = 60;
    const string Auth0Meter = "EventHub.Auth0";
    const string RejectedInstrument = "eventhub.auth0.batches.rejected";
    const string EntriesInstrument = "eventhub.auth0.entries";

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
            if (instrument.Meter.Name == Auth0Meter && instrument.Name is RejectedInstrument or EntriesInstrument)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                    reason = tag.Value?.ToString();
            }

            if (instrument.Name == EntriesInstrument)
                Received(value, reason);
            else
                _rejected.AddOrUpdate(reason ?? "unknown", value, (_, count) => count + value);
        });
        _listener.Start();
    }

    public DateTimeOffset Since { get; }

    public void Received(long entries, string? unrecognizedReason)
    {
        if (entries <= 0)
            return;
        var receivedAt = _time.GetUtcNow();
        var minute = receivedAt.ToUnixTimeSeconds() / 60;
        lock (_lock)
        {
            var slot = (int)(minute % Minutes);
            if (_minuteOf[slot] != minute)
            {
                _minuteOf[slot] = minute;
                _perMinute[slot] = 0;
            }

            _perMinute[slot] += entries;
            _total += entries;
            if (_lastReceivedAt is null || receivedAt > _lastReceivedAt)
                _lastReceivedAt = receivedAt;
        }

        if (unrecognizedReason is not null)
            _unrecognized.AddOrUpdate(unrecognizedReason, entries, (_, count) => count + entries);
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
