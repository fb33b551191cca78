using System.Text.Json.Nodes;
using Xunit;

namespace EventHub.TestSupport;

/// <summary>
/// Log Streams bodies as Auth0 sends them in volume: JSON arrays of <c>{log_id, data}</c> records cycled from the real
/// payloads in <c>../shared/fixtures/auth0</c> (entries built from Auth0's public schema when the corpus is absent),
/// each with a unique <c>log_id</c>. Used by the fault tests and the load test.
/// </summary>
public sealed class Auth0Batches
{
    readonly IReadOnlyList<JsonObject> _templates;
    readonly string _prefix;
    long _next;

    public Auth0Batches(string prefix)
    {
        _prefix = prefix;
        var corpus = FromCorpus();
        FromRealCorpus = corpus.Count > 0;
        _templates = FromRealCorpus ? corpus : [.. new[] { "f", "s", "sapi", "seacft", "slo", "fp" }.Select(code => Auth0Entries.Record(code))];
    }

    /// <summary>Changes the <c>n</c>th entry (from 1) before it is sent, for a test that needs an odd one in the stream.</summary>
    public Action<long, JsonObject>? Alter { get; set; }

    /// <summary>Whether the entries come from the real corpus (else from the public schema).</summary>
    public bool FromRealCorpus { get; }

    /// <summary>Tells the test run which entries <paramref name="use"/> sends, as the corpus tests do when <c>../shared</c> is absent.</summary>
    public void ReportSource(string use) => TestContext.Current.SendDiagnosticMessage(FromRealCorpus
        ? $"{use} over the real Auth0 corpus in ../shared"
        : $"../shared is absent: {use} over entries built from Auth0's public schema");

    /// <summary>The next <paramref name="size"/> entries as one JSON-array body, with their log_ids.</summary>
    public (string Body, IReadOnlyList<string> LogIds) Next(int size)
    {
        var batch = new JsonArray();
        var ids = new List<string>(size);
        for (var i = 0; i < size; i++)
        {
            var n = Interlocked.Increment(ref _next);
            var record = (JsonObject)_templates[(int)(n % _templates.Count)].DeepClone();
            var id = IdAt(n);
            record["log_id"] = id;
            Alter?.Invoke(n, record);
            batch.Add(record);
            ids.Add(id);
        }

        return (batch.ToJsonString(), ids);
    }

    /// <summary>The log_id of the <paramref name="n"/>th entry (from 1) these batches send.</summary>
    public string IdAt(long n) => $"{_prefix}-{n:D9}";

    static List<JsonObject> FromCorpus() =>
        [.. SharedCorpus.Auth0FixtureFiles()
            .SelectMany(file => JsonNode.Parse(File.ReadAllBytes(file)) is JsonArray array ? array : [])
            .OfType<JsonObject>()
            .Where(record => record["data"] is JsonObject)];
}
