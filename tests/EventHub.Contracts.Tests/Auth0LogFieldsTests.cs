using EventHub.Contracts.Auth0;
using EventHub.TestSupport;

namespace EventHub.Contracts.Tests;

public sealed class Auth0LogFieldsTests
{
    const string TablePath = "src/EventHub.Contracts/Auth0/Auth0LogFields.tsv";
    const string ContractsPath = "src/EventHub.Contracts/Auth0/Auth0LogEntry.g.cs";
    const string ParserPath = "src/Modules/EventHub.Auth0/LogStream/LogStreamParser.g.cs";

    static string Table() => File.ReadAllText(Path.Combine(HostProcess.RepositoryRoot(), TablePath));

    [Fact]
    public void Should_keep_the_generated_files_up_to_date()
    {
        GeneratedFile.AssertUpToDate(ContractsPath, Auth0LogFieldsGenerator.GenerateContracts(Table()), TablePath);
        GeneratedFile.AssertUpToDate(ParserPath, Auth0LogFieldsGenerator.GenerateParser(Table()), TablePath);
    }

    [Fact]
    public void Should_give_every_field_of_the_table_a_property_on_the_contract_and_the_values()
    {
        var rows = Auth0LogFieldsGenerator.Parse(Table());

        Assert.NotEmpty(rows);
        Assert.All(rows, row =>
        {
            var onInterface = typeof(IAuth0LogEvent).GetProperty(row.Property);
            var onRecord = typeof(Auth0LogEntry).GetProperty(row.Property);
            Assert.NotNull(onInterface);
            Assert.Equal(onInterface.PropertyType, onRecord?.PropertyType);
            Assert.NotNull(typeof(Auth0LogEntryValues).GetProperty(row.Property));
        });
    }

    [Fact]
    public void Should_copy_every_value_into_the_record_and_back()
    {
        var values = new Auth0LogEntryValues
        {
            EventId = "e-1",
            Source = "auth0:acme",
            Payload = """{"type":"f"}""",
            Description = "d",
            Scope = ["openid"],
            IsMobile = true,
            OrganizationName = "Acme",
        };

        var entry = Auth0LogTypes.ByCode["f"].Create(in values);
        var back = Auth0LogEntryValues.Of(entry);

        Assert.IsType<Auth0FailedLogin>(entry);
        Assert.Equal(("e-1", "auth0.auth.login.fail.f", "f", "auth.login.fail"), (entry.EventId, entry.Name, entry.Type, entry.Group));
        Assert.Equal(("d", true, "Acme"), (back.Description, back.IsMobile, back.OrganizationName));
        Assert.Equal(["openid"], back.Scope!);
        Assert.Null(entry.UserId);
    }

    [Fact]
    public void Should_give_a_value_left_null_the_property_default()
    {
        var entry = new Auth0UnknownLogEvent(new Auth0LogEntryValues());

        Assert.Equal(("", "", "{}"), (entry.EventId, entry.Name, entry.Payload));
        Assert.Empty(entry.Scope);
    }

    [Fact]
    public void Should_generate_a_new_field_everywhere_from_its_one_table_line()
    {
        var table = Table() + "session_id\tSessionId\ttext\tno\n";

        var contracts = Auth0LogFieldsGenerator.GenerateContracts(table);
        var parser = Auth0LogFieldsGenerator.GenerateParser(table);

        Assert.Contains("    /// <summary><c>data.session_id</c>.</summary>\n    string? SessionId { get; }\n", contracts, StringComparison.Ordinal);
        Assert.Contains("    public string? SessionId { get; init; }\n", contracts, StringComparison.Ordinal);
        Assert.Contains("        SessionId = values.SessionId;\n", contracts, StringComparison.Ordinal);
        Assert.Contains("    public string? SessionId { get; set; }\n", contracts, StringComparison.Ordinal);
        Assert.Contains("        SessionId = entry.SessionId,\n", contracts, StringComparison.Ordinal);
        Assert.Contains("else if (name.SequenceEqual(\"session_id\"u8))\n            values.SessionId = ReadScalar(ref reader);\n", parser, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("type\tKind\ttext\tno", "type")]
    [InlineData("user_id\tEventId\ttext\tno", "EventId")]
    [InlineData("a\tA\ttext\tno\nb\tA\ttext\tno", "A")]
    [InlineData("a\tA\tnumber\tno", "number")]
    [InlineData("a\tA\ttext\tmaybe", "maybe")]
    [InlineData("a-b\tA\ttext\tno", "a-b")]
    public void Should_refuse_a_table_line_the_generator_cannot_honour(string lines, string named)
    {
        var error = Assert.Throws<FormatException>(() => Auth0LogFieldsGenerator.GenerateContracts(Auth0LogFieldsGenerator.Header + "\n" + lines + "\n"));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
