using System.Diagnostics.Metrics;

namespace EventHub.Auth0.LogStream;

/// <summary>EventHub's own Auth0 ingress counters, on the <c>EventHub.Auth0</c> meter.</summary>
internal sealed class Auth0Metrics
{
    public const string MeterName = "EventHub.Auth0";

    readonly Counter<long> _entries;
    readonly Counter<long> _rejectedBatches;
    readonly Counter<long> _rejectedEntries;

    public Auth0Metrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _entries = meter.CreateCounter<long>("eventhub.auth0.entries", "{entry}", "Auth0 log entries accepted, by outcome (typed, unknown_code, unrecognized, the last with its reason).");
        _rejectedBatches = meter.CreateCounter<long>("eventhub.auth0.batches.rejected", "{batch}", "Auth0 log stream requests not accepted, by reason.");
        _rejectedEntries = meter.CreateCounter<long>(
            "eventhub.auth0.entries.rejected",
            "{entry}",
            "Parsed Auth0 entries of a request answered 503 (Auth0 resends them), by reason; unparseable bodies are counted as batches only.");
    }

    public void Accepted(string outcome, long count)
    {
        if (count > 0)
            _entries.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>One accepted entry without a usable <c>data.type</c>, tagged with why (the dashboard's Auth0 page lists them).</summary>
    public void Unrecognized(string reason) =>
        _entries.Add(1, new KeyValuePair<string, object?>("outcome", "unrecognized"), new KeyValuePair<string, object?>("reason", reason));

    public void Rejected(string reason, int entries = 0)
    {
        var tag = new KeyValuePair<string, object?>("reason", reason);
        _rejectedBatches.Add(1, tag);
        if (entries > 0)
            _rejectedEntries.Add(entries, tag);
    }
}
