using System.Text;
using static EventHub.Contracts.Tests.GeneratedText;

namespace EventHub.Contracts.Tests;

/// <summary>
/// Turns <c>src/EventHub.Contracts/Auth0/Auth0LogFields.tsv</c> (<c>field, property, read, personal</c>: the <c>data</c>
/// fields the hub types on every Auth0 log entry) into two files, so that adding a field is one line of the table:
/// <c>Auth0LogEntry.g.cs</c> (the properties of <c>IAuth0LogEvent</c>, <c>Auth0LogEntry</c> and <c>Auth0LogEntryValues</c>)
/// and the log-stream parser's <c>LogStreamParser.g.cs</c> (which JSON name fills which value, read how).
/// </summary>
internal static class Auth0LogFieldsGenerator
{
    public const string Header = "field\tproperty\tread\tpersonal";

    /// <summary>How the parser reads a field, and so its type: the contract is what the parser can always fill.</summary>
    static readonly Dictionary<string, (string Type, string Reader, string Default, string Remark)> Reads = new(StringComparer.Ordinal)
    {
        ["text"] = ("string?", "ReadScalar", "", ""),
        ["words"] = ("IReadOnlyList<string>", "ReadScope", "[]", " as a list, whether Auth0 sent a space-separated string or an array"),
        ["flag"] = ("bool?", "ReadBoolean", "", " (also accepted as the strings \"true\"/\"false\")"),
    };

    /// <summary>
    /// The envelope of every entry, in the order the records serialize it (it comes before the table's fields): the mapper
    /// derives these from the record, the code and the table of codes.
    /// </summary>
    static readonly (string Property, string Type, string Default)[] Envelope =
    [
        ("EventId", "string", "\"\""),
        ("Name", "string", "\"\""),
        ("Source", "string", "\"\""),
        ("OccurredAt", "DateTimeOffset", ""),
        ("ReceivedAt", "DateTimeOffset", ""),
        ("Payload", "string", "\"{}\""),
        ("Type", "string", "\"\""),
        ("Group", "string", "\"\""),
    ];

    /// <summary>Fields the parser reads itself: they make the envelope (<c>type</c>, <c>date</c>, <c>log_id</c>).</summary>
    static readonly HashSet<string> ParserFields = new(["type", "date", "log_id"], StringComparer.Ordinal);

    public sealed record Row(string Field, string Property, string Read, bool Personal);

    /// <summary>Parses and validates the table.</summary>
    /// <exception cref="FormatException">The table is malformed, or a field or property repeats, is invalid or is the envelope's.</exception>
    public static IReadOnlyList<Row> Parse(string tableText)
    {
        var rows = new List<Row>();
        var fields = new HashSet<string>(ParserFields, StringComparer.Ordinal);
        var properties = new HashSet<string>(Envelope.Select(e => e.Property), StringComparer.Ordinal);
        foreach (var (number, cells) in Rows(tableText, "Auth0LogFields.tsv", Header))
        {
            var (field, property, read, personal) = (cells[0], cells[1], cells[2], cells[3]);
            if (!field.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new FormatException($"Auth0LogFields.tsv line {number}: field '{field}' is not a JSON name of [A-Za-z0-9_].");
            if (!IsIdentifier(property))
                throw new FormatException($"Auth0LogFields.tsv line {number}: property '{property}' is not a C# identifier starting in upper case.");
            if (!Reads.ContainsKey(read))
                throw new FormatException($"Auth0LogFields.tsv line {number}: read '{read}' is not one of {string.Join(", ", Reads.Keys)}.");
            if (personal is not ("yes" or "no"))
                throw new FormatException($"Auth0LogFields.tsv line {number}: personal '{personal}' is not yes or no.");
            if (!fields.Add(field))
                throw new FormatException($"Auth0LogFields.tsv line {number}: field '{field}' repeats or is read by the parser itself.");
            if (!properties.Add(property))
                throw new FormatException($"Auth0LogFields.tsv line {number}: property '{property}' repeats or is an envelope property.");
            rows.Add(new Row(field, property, read, personal == "yes"));
        }

        return rows;
    }

    /// <summary>The text of <c>src/EventHub.Contracts/Auth0/Auth0LogEntry.g.cs</c>.</summary>
    public static string GenerateContracts(string tableText)
    {
        var rows = Parse(tableText);
        var text = new StringBuilder();
        GeneratedText.Header(text, "Auth0LogFields.tsv", nameof(Auth0LogFieldsGenerator), Test);
        Line(text);
        Line(text, "namespace EventHub.Contracts.Auth0;");
        Line(text);
        Line(text, "public partial interface IAuth0LogEvent");
        Line(text, "{");
        foreach (var row in rows)
        {
            if (row != rows[0])
                Line(text);
            Line(text, $"    /// <summary>{Summary(row)}</summary>");
            Line(text, $"    {Reads[row.Read].Type} {row.Property} {{ get; }}");
        }

        Line(text, "}");
        Line(text);
        Line(text, "/// <summary>");
        Line(text, "/// The fields every Auth0 log record shares. Not published itself (it is excluded from the bus topology):");
        Line(text, "/// the hub publishes one sealed record per code, generated from the log type table.");
        Line(text, "/// </summary>");
        Line(text, "public abstract record Auth0LogEntry : IAuth0LogEvent");
        Line(text, "{");
        Line(text, "    /// <summary>Creates an empty entry.</summary>");
        Line(text, "    protected Auth0LogEntry()");
        Line(text, "    {");
        Line(text, "    }");
        Line(text);
        Line(text, "    /// <summary>Creates the entry holding <paramref name=\"values\"/>; a value left null takes the property's default.</summary>");
        Line(text, "    protected Auth0LogEntry(in Auth0LogEntryValues values)");
        Line(text, "    {");
        foreach (var (property, _, fallback) in Envelope)
            Line(text, $"        {property} = values.{property}{(fallback.Length > 0 ? " ?? " + fallback : "")};");
        foreach (var row in rows)
            Line(text, $"        {row.Property} = values.{row.Property}{(Reads[row.Read].Default.Length > 0 ? " ?? " + Reads[row.Read].Default : "")};");
        Line(text, "    }");
        foreach (var (property, type, fallback) in Envelope)
            Property(text, "/// <inheritdoc />", $"{type} {property} {{ get; init; }}{Initializer(fallback)}");
        foreach (var row in rows)
            Property(text, "/// <inheritdoc />", $"{Reads[row.Read].Type} {row.Property} {{ get; init; }}{Initializer(Reads[row.Read].Default)}");
        Line(text, "}");
        Line(text);
        Line(text, "/// <summary>");
        Line(text, "/// Every property of an <see cref=\"Auth0LogEntry\"/> as one value: the hub's parser and mapper fill it, then");
        Line(text, "/// <see cref=\"Auth0LogType.Create(in Auth0LogEntryValues)\"/> builds the code's record from it in one allocation.");
        Line(text, "/// </summary>");
        Line(text, "public struct Auth0LogEntryValues");
        Line(text, "{");
        Line(text, "    /// <summary>The values of <paramref name=\"entry\"/>.</summary>");
        Line(text, "    public static Auth0LogEntryValues Of(IAuth0LogEvent entry) => new()");
        Line(text, "    {");
        foreach (var property in Envelope.Select(e => e.Property).Concat(rows.Select(row => row.Property)))
            Line(text, $"        {property} = entry.{property},");
        Line(text, "    };");
        foreach (var (property, type, fallback) in Envelope)
            Property(text, $"/// <summary>See <see cref=\"{(property is "Type" or "Group" ? "IAuth0LogEvent" : "IHubEvent")}.{property}\"/>.</summary>", $"{Settable(type, fallback)} {property} {{ get; set; }}");
        foreach (var row in rows)
            Property(text, $"/// <summary>See <see cref=\"IAuth0LogEvent.{row.Property}\"/>.</summary>", $"{Settable(Reads[row.Read].Type, Reads[row.Read].Default)} {row.Property} {{ get; set; }}");
        Line(text, "}");
        return text.ToString();
    }

    /// <summary>The text of <c>src/Modules/EventHub.Auth0/LogStream/LogStreamParser.g.cs</c>.</summary>
    public static string GenerateParser(string tableText)
    {
        var rows = Parse(tableText);
        var text = new StringBuilder();
        GeneratedText.Header(text, "src/EventHub.Contracts/Auth0/Auth0LogFields.tsv", nameof(Auth0LogFieldsGenerator), Test);
        Line(text);
        Line(text, "using System.Text.Json;");
        Line(text, "using EventHub.Contracts.Auth0;");
        Line(text);
        Line(text, "namespace EventHub.Auth0.LogStream;");
        Line(text);
        Line(text, "internal static partial class LogStreamParser");
        Line(text, "{");
        Line(text, "    /// <summary>Reads the value of a field of the table into <paramref name=\"values\"/>; false when <paramref name=\"name\"/> is not in the table.</summary>");
        Line(text, "    static bool ReadTableField(ReadOnlySpan<byte> name, ref Utf8JsonReader reader, ref Auth0LogEntryValues values)");
        Line(text, "    {");
        foreach (var row in rows)
        {
            Line(text, $"        {(row == rows[0] ? "if" : "else if")} (name.SequenceEqual({Literal(row.Field)}u8))");
            Line(text, $"            values.{row.Property} = {Reads[row.Read].Reader}(ref reader);");
        }

        Line(text, "        else");
        Line(text, "            return false;");
        Line(text);
        Line(text, "        return true;");
        Line(text, "    }");
        Line(text, "}");
        return text.ToString();
    }

    const string Test = $"{nameof(Auth0LogFieldsTests)}.{nameof(Auth0LogFieldsTests.Should_keep_the_generated_files_up_to_date)}";

    static string Summary(Row row) =>
        $"<c>data.{Xml(row.Field)}</c>{Reads[row.Read].Remark}.{(row.Personal ? " Personal data: do not log it." : "")}";

    /// <summary>A property with a default is nullable in the values (null there means the default), others keep their type.</summary>
    static string Settable(string type, string fallback) => fallback.Length > 0 ? type + "?" : type;

    static string Initializer(string fallback) => fallback.Length > 0 ? " = " + fallback + ";" : "";

    static void Property(StringBuilder text, string doc, string declaration)
    {
        Line(text);
        Line(text, "    " + doc);
        Line(text, "    public " + declaration);
    }
}
