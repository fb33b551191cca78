using System.Text;
using static EventHub.Contracts.Tests.GeneratedText;

namespace EventHub.Contracts.Tests;

/// <summary>
/// Turns <c>src/EventHub.Contracts/Auth0/Auth0LogTypes.tsv</c> (<c>code, group, contract, title</c>) into the text of
/// <c>Auth0LogTypes.g.cs</c>: one interface per filter group, one sealed record per code and the
/// <c>Auth0LogTypes</c> lookup. The output is deterministic (table order, LF line endings, 4-space indent).
/// </summary>
internal static class Auth0ContractsGenerator
{
    public const string Header = "code\tgroup\tcontract\ttitle";

    /// <summary>The interface of every filter group; a group missing here fails the generation.</summary>
    static readonly Dictionary<string, string> GroupInterfaces = new(StringComparer.Ordinal)
    {
        ["actions"] = "IAuth0Actions",
        ["auth.login.fail"] = "IAuth0LoginFailure",
        ["auth.login.notification"] = "IAuth0LoginNotification",
        ["auth.login.success"] = "IAuth0LoginSuccess",
        ["auth.logout.fail"] = "IAuth0LogoutFailure",
        ["auth.logout.success"] = "IAuth0LogoutSuccess",
        ["auth.signup.fail"] = "IAuth0SignupFailure",
        ["auth.signup.success"] = "IAuth0SignupSuccess",
        ["auth.silent_auth.fail"] = "IAuth0SilentAuthFailure",
        ["auth.silent_auth.success"] = "IAuth0SilentAuthSuccess",
        ["auth.token_exchange.fail"] = "IAuth0TokenExchangeFailure",
        ["auth.token_exchange.success"] = "IAuth0TokenExchangeSuccess",
        ["management.fail"] = "IAuth0ManagementFailure",
        ["management.success"] = "IAuth0ManagementSuccess",
        ["other"] = "IAuth0Other",
        ["scim.event"] = "IAuth0ScimEvent",
        ["system.notification"] = "IAuth0SystemNotification",
        ["user.fail"] = "IAuth0UserFailure",
        ["user.notification"] = "IAuth0UserNotification",
        ["user.success"] = "IAuth0UserSuccess",
    };

    /// <summary>Type names of the Contracts project a generated record must not take.</summary>
    static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "Auth0LogEntry", "Auth0LogEntryValues", "Auth0LogEntryFactory", "Auth0UnknownLogEvent", "Auth0UnrecognizedEntry", "IAuth0LogEvent", "Auth0LogType", "Auth0LogTypes",
    };

    public sealed record Row(string Code, string Group, string Contract, string Title);

    /// <summary>The interface name of <paramref name="group"/>.</summary>
    /// <exception cref="InvalidOperationException">The group has no interface name.</exception>
    public static string InterfaceOf(string group) =>
        GroupInterfaces.TryGetValue(group, out var name)
            ? name
            : throw new InvalidOperationException(
                $"Auth0 filter group '{group}' has no interface name: add it to {nameof(Auth0ContractsGenerator)}.{nameof(GroupInterfaces)}.");

    /// <summary>Parses and validates the table.</summary>
    /// <exception cref="FormatException">The table is malformed, or a code or contract name repeats or is invalid.</exception>
    public static IReadOnlyList<Row> Parse(string tableText)
    {
        var rows = new List<Row>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var contracts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, cells) in Rows(tableText, "Auth0LogTypes.tsv", Header))
        {
            var row = new Row(cells[0], cells[1], cells[2], cells[3]);
            if (!IsName(row.Code))
                throw new FormatException($"Auth0LogTypes.tsv line {number}: code '{row.Code}' is not lowercase [a-z0-9_-].");
            if (!row.Group.Split('.').All(IsName))
                throw new FormatException($"Auth0LogTypes.tsv line {number}: group '{row.Group}' is not lowercase dotted [a-z0-9_-].");
            if (!IsIdentifier(row.Contract) || !row.Contract.StartsWith("Auth0", StringComparison.Ordinal))
                throw new FormatException($"Auth0LogTypes.tsv line {number}: contract '{row.Contract}' is not an identifier starting with Auth0.");
            if (ReservedNames.Contains(row.Contract))
                throw new FormatException($"Auth0LogTypes.tsv line {number}: contract '{row.Contract}' is an existing type.");
            if (!codes.Add(row.Code))
                throw new FormatException($"Auth0LogTypes.tsv line {number}: code '{row.Code}' repeats.");
            if (!contracts.Add(row.Contract))
                throw new FormatException($"Auth0LogTypes.tsv line {number}: contract '{row.Contract}' repeats.");
            _ = InterfaceOf(row.Group);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The text of <c>Auth0LogTypes.g.cs</c> for <paramref name="tableText"/>.</summary>
    public static string Generate(string tableText)
    {
        var rows = Parse(tableText);
        var groups = rows.Select(row => row.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();

        GeneratedText.Header(text, "Auth0LogTypes.tsv", nameof(Auth0ContractsGenerator),
            $"{nameof(Auth0LogTypesTests)}.{nameof(Auth0LogTypesTests.Should_keep_the_generated_file_up_to_date)}");
        Line(text);
        Line(text, "using System.Collections.Frozen;");
        Line(text, "using System.Diagnostics.CodeAnalysis;");
        Line(text);
        Line(text, "namespace EventHub.Contracts.Auth0;");

        foreach (var group in groups)
        {
            Line(text);
            Line(text, $"/// <summary>An Auth0 log entry of the <c>{Xml(group)}</c> filter group.</summary>");
            Line(text, $"public interface {InterfaceOf(group)} : IAuth0LogEvent");
            Line(text, "{");
            Line(text, "}");
        }

        foreach (var row in rows)
        {
            Line(text);
            Line(text, $"/// <summary><c>{Xml(row.Code)}</c> ({Xml(row.Group)}): {Xml(row.Title.TrimEnd('.'))}.</summary>");
            Line(text, $"public sealed record {row.Contract} : Auth0LogEntry, {InterfaceOf(row.Group)}");
            Line(text, "{");
            Line(text, "    /// <summary>Creates an empty entry.</summary>");
            Line(text, $"    public {row.Contract}()");
            Line(text, "    {");
            Line(text, "    }");
            Line(text);
            Line(text, "    /// <summary>Creates the entry holding <paramref name=\"values\"/>.</summary>");
            Line(text, $"    public {row.Contract}(in Auth0LogEntryValues values)");
            Line(text, "        : base(in values)");
            Line(text, "    {");
            Line(text, "    }");
            Line(text, "}");
        }

        Line(text);
        Line(text, "/// <summary>Every Auth0 log type code the hub knows, from <c>Auth0LogTypes.tsv</c>.</summary>");
        Line(text, "public static class Auth0LogTypes");
        Line(text, "{");
        Line(text, "    /// <summary>Every known code (ordinal, case-sensitive) and its <see cref=\"Auth0LogType\"/>.</summary>");
        Line(text, "    public static FrozenDictionary<string, Auth0LogType> ByCode { get; } = new Auth0LogType[]");
        Line(text, "    {");
        foreach (var row in rows)
        {
            Line(text, $"        new({Literal(row.Code)}, {Literal(row.Group)}, {Literal(row.Title)}, typeof({row.Contract}), static (in Auth0LogEntryValues values) => new {row.Contract}(in values)),");
        }

        Line(text, "    }.ToFrozenDictionary(type => type.Code, StringComparer.Ordinal);");
        Line(text);
        Line(text, "    /// <summary>Looks up a log type code.</summary>");
        Line(text, "    /// <param name=\"code\">The Auth0 log type code (<c>data.type</c>), case-sensitive.</param>");
        Line(text, "    /// <param name=\"type\">The code's <see cref=\"Auth0LogType\"/>, or <see langword=\"null\"/> when the code is unknown.</param>");
        Line(text, "    /// <returns><see langword=\"true\"/> when the code is known.</returns>");
        Line(text, "    public static bool TryGet(string code, [NotNullWhen(true)] out Auth0LogType? type) =>");
        Line(text, "        ByCode.TryGetValue(code, out type);");
        Line(text, "}");
        return text.ToString();
    }
}
