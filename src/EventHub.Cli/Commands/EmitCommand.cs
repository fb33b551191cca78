using System.CommandLine;
using System.Text.Json;
using EventHub.Client;

namespace EventHub.Cli.Commands;

/// <summary><c>emit &lt;name&gt; --data '{...}' | @file</c>: one event; prints its id.</summary>
internal static class EmitCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Lowercase dotted name, e.g. order.placed" };
        var data = new Option<string?>("--data") { Description = "The payload: JSON, or @path to read it from a file (@- for stdin)" };
        var id = new Option<string?>("--id") { Description = "The event's id (a retried emit with the same id is stored once)" };
        var command = new Command("emit", "Emit an event") { name, data, id };
        command.Handle(async (run, cancellationToken) =>
        {
            var payload = await PayloadAsync(run.Get(data), cancellationToken);
            await using var client = run.Settings.Client();
            var emitted = await client.EmitAsync(new EmitEvent(run.Get(name), payload) { Id = run.Get(id) }, cancellationToken);
            if (run.Out.Json)
                run.Out.WriteJson(new { id = emitted });
            else
                Console.WriteLine(emitted);
            return ExitCodes.Ok;
        });
        return command;
    }

    static async Task<JsonElement?> PayloadAsync(string? data, CancellationToken cancellationToken)
    {
        if (data is null)
            return null;
        string text;
        if (data.StartsWith('@'))
        {
            var path = data[1..];
            try
            {
                text = path == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--data {data}: {e.Message}");
            }
        }
        else
        {
            text = data;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"--data is not valid JSON: {e.Message}");
        }
    }
}
