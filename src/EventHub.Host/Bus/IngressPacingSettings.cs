using System.Globalization;
using EventHub.Composition;
using EventHub.Publishing;

namespace EventHub.Host.Bus;

/// <summary><c>EventHub:Pacing</c>: when ingress waits for the hub's own consumers (docs/adr/0039).</summary>
internal static class IngressPacingSettings
{
    public const string LagKey = "EventHub:Pacing:Lag";
    public const string MostWaitKey = "EventHub:Pacing:MostWait";

    // The event log and the detections take a batch within 20 ms of its first message and store or count it in tens of
    // milliseconds, so a second behind is a backlog, not batches on their way, and is drained in about a second again.
    // With 500 ms a tenth of the real mix's requests were held (p99 146-237 ms) in full runs that built no backlog; with
    // 1 s one of 1,452, and the flood still caught up 0.5 s after its run (docs/adr/0039).
    static readonly PacingLimits Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    static readonly TimeSpan Most = TimeSpan.FromMinutes(1);

    public static PacingLimits Read(IConfiguration configuration) =>
        new(ReadSpan(configuration, LagKey, Default.Lag), ReadSpan(configuration, MostWaitKey, Default.MostWait));

    static TimeSpan ReadSpan(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero && value <= Most
            ? value
            : throw Settings.Invalid(key, $"'{text}' is not valid: use a time span from 00:00:00 (no pacing) to 00:01:00");
    }
}
