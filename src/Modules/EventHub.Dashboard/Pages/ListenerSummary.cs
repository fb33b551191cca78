using EventHub.Contracts.Listeners;

namespace EventHub.Dashboard.Pages;

/// <summary>A listener as the pages show it: its details (queue depth, transactions by state) and its latest transactions, whose attempt durations draw the sparkline.</summary>
internal sealed record ListenerSummary(ListenerDetails Details, IReadOnlyList<ListenerTransaction> Transactions)
{
    const int SparkPoints = 30;

    public string Id => Details.Id;
    public string Name => Details.Name;
    public string? Platform => Details.Platform;
    public string? Label => Details.Label;
    public IReadOnlyList<string> Patterns => Details.Patterns;
    public string DeliveryType => Details.DeliveryType;
    public string? Url => Details.Url;
    public string State => Details.State;
    public long? QueueDepth => Details.QueueDepth;
    public string? Filter => Details.Filter;
    public string? Redact => Details.Redact;
    public ListenerHealthDetails? Health => Details.Health;
    public long Filtered => Details.Filtered;

    public long Count(string state) => Details.Transactions.GetValueOrDefault(state);

    /// <summary>The latest attempts' durations, oldest first.</summary>
    public IReadOnlyList<long> Latencies => [.. Transactions.SelectMany(t => t.History).OrderBy(a => a.At).TakeLast(SparkPoints).Select(a => a.DurationMs)];

    public static async Task<ListenerSummary> LoadAsync(IListenersReader reader, ListenerDetails listener, string keyName, int transactions, CancellationToken cancellationToken) =>
        new(listener, await reader.TransactionsAsync(listener.Id, null, transactions, keyName, cancellationToken));
}
