using System.CommandLine;
using EventHub.Cli.Listen;
using EventHub.Client;
using Spectre.Console;

namespace EventHub.Cli.Commands;

/// <summary>
/// <c>listen</c> and <c>tail</c>: both a pull listener of the hub read until Ctrl+C. <c>listen</c> keeps its listener
/// (keyed by its patterns, platform <c>eventhub-cli</c> and <c>--label</c>), so events emitted while it is stopped
/// wait in its queue; <c>tail</c> registers a listener of its own and removes it when it stops.
/// </summary>
internal static class ListenCommands
{
    const string Platform = "eventhub-cli";

    public static Command Listen()
    {
        var patterns = new Argument<string[]>("patterns") { Arity = ArgumentArity.OneOrMore, Description = "Event names or topic patterns: order.placed, order.*, auth0.#" };
        var forwardTo = new Option<string>("--forward-to") { Required = true, Description = "The local URL each event is POSTed to, signed like a webhook delivery" };
        var label = new Option<string>("--label") { DefaultValueFactory = _ => "listen", Description = "The listener's label: two labels, two listeners with their own queues" };
        var command = new Command("listen", "Forward events to a local URL (the local development loop without a tunnel); the local answer acknowledges each event") { patterns, forwardTo, label };
        command.Handle(async (run, cancellationToken) =>
        {
            var target = LocalUrl(run.Get(forwardTo)!);
            var names = run.Get(patterns);
            await using var client = run.Settings.Client();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var forwarder = new TaskCompletionSource<Forwarder>(TaskCreationOptions.RunContinuationsAsynchronously);
            var subscription = await SubscribeAsync(client, names, run.Get(label)!, async (e, ct) =>
            {
                var forwarded = await (await forwarder.Task.WaitAsync(ct)).ForwardAsync(e, ct);
                Print(run.Out, e, forwarded);
                return forwarded.Succeeded ? forwarded.Output() : throw new ForwardFailedException(forwarded.Failure);
            }, cancellationToken);
            forwarder.SetResult(new Forwarder(http, target, subscription.Secret!, TimeProvider.System));
            if (!run.Out.Json)
            {
                run.Out.Line($"Forwarding [bold]{Markup.Escape(string.Join(' ', names))}[/] to [bold]{Markup.Escape(target.ToString())}[/] (listener {subscription.ListenerId}). Ctrl+C stops.");
                run.Out.Line($"Signed with the listener's secret: [bold]{Markup.Escape(subscription.Secret!)}[/]");
            }

            return await RunUntilStoppedAsync(subscription, cancellationToken);
        });
        return command;
    }

    public static Command Tail()
    {
        var pattern = new Argument<string>("pattern") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "#", Description = "An event name or topic pattern; every event when left out" };
        var command = new Command("tail", "Print events live as they happen (a temporary listener, removed on exit)") { pattern };
        command.Handle(async (run, cancellationToken) =>
        {
            await using var client = run.Settings.Client();
            var name = run.Get(pattern);
            var label = "tail-" + Guid.NewGuid().ToString("N")[..12];
            var subscription = await SubscribeAsync(client, [name], label, (e, _) =>
            {
                if (run.Out.Json)
                    run.Out.WriteJson(new { e.Id, e.Name, e.Source, e.Time, e.Payload });
                else
                    run.Out.Line($"{Output.Time(e.Time)}  [bold]{Markup.Escape(e.Name)}[/]  {Markup.Escape(e.Id)}  [grey]{Markup.Escape(e.Source)}[/]  {Markup.Escape(Output.Shorten(e.Payload.GetRawText(), 200))}");
                return Task.FromResult<object?>(null);
            }, cancellationToken);
            // Printed once the stream is open: an event emitted from now on is printed (one emitted before may be too).
            run.Out.Status($"Tailing [bold]{Markup.Escape(name)}[/]. Ctrl+C stops.");
            try
            {
                return await RunUntilStoppedAsync(subscription, cancellationToken);
            }
            finally
            {
                await client.OffAsync(subscription.Key, CancellationToken.None);
            }
        });
        return command;
    }

    static Task<EventSubscription> SubscribeAsync(EventHubClient client, string[] patterns, string label, Func<HubEvent, CancellationToken, Task<object?>> handler, CancellationToken cancellationToken) =>
        client.OnAsync(string.Join(' ', patterns), handler, new ListenOptions { Platform = Platform, Label = label, Events = patterns }, cancellationToken);

    /// <summary>Until Ctrl+C (exit 0), or until the hub ends the listener for good: removed (5) or the key revoked (3).</summary>
    static async Task<int> RunUntilStoppedAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await subscription.Completion.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await subscription.DisposeAsync();
            return ExitCodes.Ok;
        }

        return ExitCodes.Ok;
    }

    static void Print(Output output, HubEvent e, Forwarded forwarded)
    {
        var ms = (long)forwarded.Duration.TotalMilliseconds;
        if (output.Json)
        {
            output.WriteJson(new { e.Id, e.Name, e.Attempt, status = forwarded.Status, durationMs = ms, error = forwarded.Succeeded ? null : forwarded.Failure });
            return;
        }

        var status = forwarded.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "ERR";
        var colour = forwarded.Succeeded ? "green" : "red";
        var retry = e.Attempt > 1 ? $" [grey](attempt {e.Attempt})[/]" : "";
        var why = forwarded.Succeeded ? "" : $"  [red]{Markup.Escape(forwarded.Failure)}[/]";
        output.Line($"{Output.Time(DateTimeOffset.UtcNow)}  [{colour}]{status}[/]  [bold]{Markup.Escape(e.Name)}[/]  {Markup.Escape(e.Id)}  {ms} ms{retry}{why}");
    }

    static Uri LocalUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--forward-to '{text}' is not an absolute http(s) URL, e.g. http://localhost:5000/hook");

    /// <summary>The local endpoint did not take the event: the hub records the failure and retries on the listener's schedule.</summary>
    sealed class ForwardFailedException(string message) : Exception(message);
}
