using System.Text;
using System.Text.Json.Nodes;
using EventHub.Auth0.LogStream;
using EventHub.Contracts;
using EventHub.TestSupport;

namespace EventHub.Benchmarks;

/// <summary>The entries every benchmark here reads: the real Auth0 corpus when <c>../shared</c> is there, said when not.</summary>
internal static class BenchEntries
{
    /// <summary>One JSON array body of <paramref name="count"/> entries, cycling through the corpus, each with a fresh log_id.</summary>
    public static byte[] Body(int count, string idPrefix, params string[] fallbackCodes)
    {
        var records = SharedCorpus.Auth0FixtureFiles()
            .SelectMany(file => JsonNode.Parse(File.ReadAllBytes(file))!.AsArray())
            .Select(record => record!.AsObject())
            .ToList();
        if (records.Count == 0)
        {
            Console.WriteLine("../shared/fixtures/auth0 not found: entries built from Auth0's public schema instead.");
            records = [.. fallbackCodes.Select(code => Auth0Entries.Record(code))];
        }

        var batch = new JsonArray([.. Enumerable.Range(0, count).Select(i =>
        {
            var record = (JsonObject)records[i % records.Count].DeepClone();
            record["log_id"] = $"{idPrefix}-{i:D8}";
            return record;
        })]);
        return Encoding.UTF8.GetBytes(batch.ToJsonString());
    }

    /// <summary>The same entries as the hub's ingress maps them: each its code's typed record.</summary>
    public static List<IHubEvent> Mapped(byte[] body, DateTimeOffset receivedAt) =>
        [.. LogStreamParser.Parse(body).Select(record => Auth0LogMapper.Map(record, body, receivedAt)).OfType<IHubEvent>()];
}
