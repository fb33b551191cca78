using System.Text.Json;
using Spectre.Console;

namespace EventHub.Cli;

/// <summary>
/// What a command prints: tables and coloured lines for people, or JSON for scripts (<c>--json</c>). Data goes to
/// stdout, errors to stderr, so <c>eventhub events --json | jq</c> sees only data.
/// </summary>
internal sealed class Output(bool json)
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    readonly Lock _lock = new();

    static Output()
    {
        // Spectre wraps at 80 columns when stdout is not a terminal: one event must stay one line for grep and scripts.
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 4096;
    }

    public bool Json { get; } = json;

    /// <summary>One JSON document (or, for streams, one line): compact, one line.</summary>
    public void WriteJson(object? value)
    {
        var text = JsonSerializer.Serialize(value, Web);
        lock (_lock)
            Console.Out.WriteLine(text);
    }

    public void Line(string markup)
    {
        lock (_lock)
            AnsiConsole.MarkupLine(markup);
    }

    /// <summary>
    /// A line about the command itself (e.g. that it is listening now): on stdout for people, on stderr with --json, so
    /// a script can wait for it while stdout stays data.
    /// </summary>
    public void Status(string markup)
    {
        lock (_lock)
        {
            if (Json)
                Console.Error.WriteLine(Markup.Remove(markup));
            else
                AnsiConsole.MarkupLine(markup);
        }
    }

    public void Table(string[] columns, IEnumerable<string?[]> rows, string empty)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
            table.AddColumn(new TableColumn(column));
        foreach (var row in rows)
            table.AddRow([.. row.Select(cell => Markup.Escape(cell ?? "-"))]);
        lock (_lock)
        {
            if (table.Rows.Count == 0)
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(empty)}[/]");
            else
                AnsiConsole.Write(table);
        }
    }

    public static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
