using System.CommandLine;
using EventHub.Cli.Commands;

namespace EventHub.Cli;

/// <summary>The command tree and what every command shares: where the hub is, <c>--json</c>, errors as exit codes.</summary>
internal static class CliApp
{
    static readonly Option<string?> Url = new("--url") { Description = $"The hub (else EVENTHUB_URL, the config file, {HubSettings.DefaultUrl})", Recursive = true };
    static readonly Option<string?> Key = new("--key") { Description = "An API key (else EVENTHUB_KEY, the config file)", Recursive = true };
    static readonly Option<bool> Json = new("--json") { Description = "Machine-readable output: one JSON document, or one JSON line per event", Recursive = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("EventHub from the command line: forward events to a local URL, tail, emit, query, manage listeners and dead letters, send sample Auth0 logs.")
        {
            Options = { Url, Key, Json },
            Subcommands =
            {
                ListenCommands.Listen(),
                ListenCommands.Tail(),
                EmitCommand.Create(),
                EventsCommand.Create(),
                ListenersCommands.Listeners(),
                ListenersCommands.DeadLetters(),
                Auth0Commands.Create(),
            },
        };
        // No response files: '@file' is --data's own syntax (as curl's), not a file of more arguments.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync($"eventhub: {error.Message}");
            await Console.Error.WriteLineAsync("Run 'eventhub --help' for usage.");
            return ExitCodes.BadInput;
        }

        // Ctrl+C or SIGTERM cancels the command's token; listen then finishes the events in hand within this time.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
    }

    /// <summary>Runs <paramref name="action"/> as the command's action; an error becomes one line on stderr and its exit code.</summary>
    public static void Handle(this Command command, Func<Invocation, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var invocation = new Invocation(parse, parse.GetValue(Json), () => HubSettings.Resolve(parse.GetValue(Url), parse.GetValue(Key), parse.GetValue(Auth0Commands.Token)));
            try
            {
                return await action(invocation, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
            catch (Exception e)
            {
                await Console.Error.WriteLineAsync($"eventhub: {e.Message}");
                return ExitCodes.Of(e);
            }
        });
}

/// <summary>One run of a command: its arguments, the output mode and the hub settings (resolved when first asked for).</summary>
internal sealed class Invocation(ParseResult parse, bool json, Func<HubSettings> settings)
{
    readonly Lazy<HubSettings> _settings = new(settings);

    public ParseResult Parse { get; } = parse;

    public Output Out { get; } = new(json);

    public HubSettings Settings => _settings.Value;

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);
}
