using System.Globalization;
using System.Text.Json.Nodes;
using EventHub.Dashboard.Api;

namespace EventHub.Dashboard.Pages;

/// <summary>
/// A listener as the pages show it, from three API answers: the listener, its detail (queue depth, transactions by
/// state) and its latest transactions (whose attempt durations draw the sparkline).
/// </summary>
internal sealed record ListenerSummary(
    string Id,
    string Name,
    string? Platform,
    string? Label,
    IReadOnlyList<string> Patterns,
    string DeliveryType,
    string? Url,
    string State,
    long? QueueDepth,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<ListenerSummary.Attempt> Attempts,
    JsonArray Transactions)
{
    const int SparkPoints = 30;

    /// <summary>The listener's payload filter as JSON, or null when it has none.</summary>
    public string? Filter { get; init; }

    /// <summary>The listener's redaction as JSON, or null when it has none.</summary>
    public string? Redact { get; init; }

    /// <summary>Failing deliveries (since when, the last error) and when they paused the listener; null while it is healthy.</summary>
    public JsonNode? Health { get; init; }

    /// <summary>Events the filter held back.</summary>
    public long Filtered { get; init; }

    public long Count(string state) => Counts.GetValueOrDefault(state);

    /// <summary>The latest attempts' durations, oldest first.</summary>
    public IReadOnlyList<long> Latencies => [.. Attempts.OrderBy(a => a.At).TakeLast(SparkPoints).Select(a => a.DurationMs)];

    public static async Task<ListenerSummary> LoadAsync(HubApi api, JsonNode listener, string key, int transactions, CancellationToken cancellationToken)
    {
        var id = listener["id"]!.GetValue<string>();
        var detailTask = api.ListenerAsync(id, key, cancellationToken);
        var transactionsTask = api.TransactionsAsync(id, null, transactions, key, cancellationToken);
        var detail = await detailTask ?? listener;
        var items = await transactionsTask;
        var counts = detail["transactions"] is JsonObject byState
            ? byState.ToDictionary(p => p.Key, p => p.Value?.GetValue<long>() ?? 0, StringComparer.Ordinal)
            : [];
        var attempts = items.SelectMany(t => t!["history"]?.AsArray() ?? [])
            .Select(a => new Attempt(
                DateTimeOffset.Parse(a!["at"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                a["durationMs"]?.GetValue<long>() ?? 0,
                a["statusCode"]?.GetValue<long>()))
            .ToList();
        return new ListenerSummary(
            id,
            listener["name"]!.GetValue<string>(),
            listener["platform"]?.GetValue<string>(),
            listener["label"]?.GetValue<string>(),
            [.. (listener["events"]?.AsArray() ?? []).Select(p => p!.GetValue<string>())],
            listener["delivery"]?["type"]?.GetValue<string>() ?? "webhook",
            listener["delivery"]?["url"]?.GetValue<string>(),
            listener["state"]?.GetValue<string>() ?? "unknown",
            detail["queueDepth"]?.GetValue<long>(),
            counts,
            attempts,
            items)
        {
            Filter = listener["filter"]?.ToJsonString(),
            Redact = listener["redact"]?.ToJsonString(),
            Health = detail["health"],
            Filtered = listener["filtered"]?.GetValue<long>() ?? 0,
        };
    }

    internal sealed record Attempt(DateTimeOffset At, long DurationMs, long? StatusCode);
}
