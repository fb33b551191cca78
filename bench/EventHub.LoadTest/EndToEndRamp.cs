using EventHub.TestSupport;

namespace EventHub.LoadTest;

/// <summary>
/// End to end (<see cref="EndToEnd"/>) at rising offered rates, short phases, until the webhook p99 crosses
/// <see cref="ThresholdMs"/>: the rate the hub sustains with latency still low. The p99 is over every event offered,
/// those refused, not sent or not delivered counted as slower than any, so a rate the hub cannot take crosses.
/// </summary>
internal static class EndToEndRamp
{
    public const double ThresholdMs = 100;
    public static readonly int[] Rates = [250, 500, 1_000, 1_500, 2_000, 2_500, 3_000];

    /// <summary>
    /// One rate: what was offered, and of that what the hub accepted (202), refused (503) or never got because 1,000 were
    /// already in flight, and what reached the webhook within the drain limit: an accepted event missing there is one
    /// the hub had not delivered 20 s after the phase.
    /// </summary>
    public sealed record Step(int Rate, int Offered, int Accepted, int Refused, int NotSent, int AtWebhook, double P99Ms);

    public sealed record Result(IReadOnlyList<Step> Steps)
    {
        public Step? Crossed => Steps.FirstOrDefault(s => s.P99Ms > ThresholdMs);

        public string Describe() => Crossed is { } crossed
            ? $"p99 > {ThresholdMs:F0} ms from {crossed.Rate:N0}/s" + (Steps.LastOrDefault(s => s.Rate < crossed.Rate) is { } below ? $" (≤ at {below.Rate:N0}/s)" : " (already at the lowest step)")
            : $"not crossed up to {Rates[^1]:N0}/s";
    }

    public static async Task<Result> RunAsync(HubTarget hub, WebhookReceiver receiver, TimeSpan phase)
    {
        var steps = new List<Step>();
        foreach (var rate in Rates)
        {
            var run = await EndToEnd.RunAsync(hub, receiver, rate, phase, drainLimit: TimeSpan.FromSeconds(20));
            var step = new Step(rate, run.Offered, run.Accepted, run.Refused, run.SkippedByGenerator, run.AtWebhook, run.Webhook.PercentileOver(99, run.Offered));
            steps.Add(step);
            Console.WriteLine($"    {rate:N0}/s: webhook p99 {Milliseconds(step.P99Ms)} over {run.Offered:N0} offered ({run.Accepted:N0} accepted, {run.Refused:N0} refused, {run.SkippedByGenerator:N0} not sent), {run.AtWebhook:N0} delivered");
            if (step.P99Ms > ThresholdMs)
                break;
        }

        return new Result(steps);
    }

    public static string Milliseconds(double value) => double.IsPositiveInfinity(value) ? "∞ (events missing)" : $"{value:F1} ms";
}
