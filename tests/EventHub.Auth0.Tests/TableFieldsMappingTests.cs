using System.Text;
using System.Text.Json.Nodes;
using EventHub.Auth0.LogStream;
using EventHub.Contracts.Auth0;
using EventHub.TestSupport;

namespace EventHub.Auth0.Tests;

/// <summary>Every field of <c>Auth0LogFields.tsv</c> goes from an entry's <c>data</c> to its record, through the generated parser.</summary>
public sealed class TableFieldsMappingTests
{
    static readonly DateTimeOffset ReceivedAt = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string, string> TableFields => [..
        File.ReadAllLines(Path.Combine(HostProcess.RepositoryRoot(), "src", "EventHub.Contracts", "Auth0", "Auth0LogFields.tsv"))
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(cells => (cells[0], cells[1], cells[2]))];

    [Theory]
    [MemberData(nameof(TableFields))]
    public void Should_fill_the_property_of_each_table_field_for_a_known_and_an_unknown_code(string field, string property, string read)
    {
        (JsonNode Json, object Expected) sent = read switch
        {
            "words" => ("read:users  openid", new[] { "read:users", "openid" }),
            "flag" => (JsonValue.Create(false), false),
            _ => ("value of " + field, "value of " + field),
        };

        foreach (var code in new[] { "s", "not_a_listed_code" })
        {
            var record = Auth0Entries.Record(code).With(field, sent.Json.DeepClone());
            var body = Encoding.UTF8.GetBytes(Auth0Entries.JsonArray([record]));
            var entry = Assert.IsAssignableFrom<IAuth0LogEvent>(LogStreamParser.Parse(body).Select(f => Auth0LogMapper.Map(f, body, ReceivedAt)).Single());

            Assert.Equal(sent.Expected, typeof(IAuth0LogEvent).GetProperty(property)!.GetValue(entry));
            Assert.Equal(code == "s" ? typeof(Auth0SuccessLogin) : typeof(Auth0UnknownLogEvent), entry.GetType());
        }
    }
}
