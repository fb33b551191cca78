using System.CommandLine;
using System.Globalization;
using EventHub.Client;

namespace EventHub.Cli.Commands;

/// <summary><c>listeners ls|show|rm</c> and <c>dead-letters ls|replay</c>.</summary>
internal static class ListenersCommands
{
    public static Command Listeners()
    {
        var ls = new Command("ls", "List every listener");
        ls.Handle(async (run, cancellationToken) =>
        {
            await using var client = run.Settings.Client();
            var listeners = await client.GetListenersAsync(cancellationToken);
            if (run.Out.Json)
                run.Out.WriteJson(listeners);
            else
                run.Out.Table(["id", "name", "platform", "label", "events", "delivery", "state"], listeners.Select(l => new[] { l.Id, l.Name, l.Platform, l.Label, string.Join(' ', l.Events), l.Delivery.Url ?? l.Delivery.Type, l.State }), "No listeners.");
            return ExitCodes.Ok;
        });

        var showId = ListenerId();
        var show = new Command("show", "One listener with its queue depth and transactions by state") { showId };
        show.Handle(async (run, cancellationToken) =>
        {
            await using var client = run.Settings.Client();
            var l = await client.GetListenerAsync(run.Get(showId), cancellationToken);
            if (run.Out.Json)
            {
                run.Out.WriteJson(l);
                return ExitCodes.Ok;
            }

            string?[][] rows =
            [
                ["id", l.Id], ["name", l.Name], ["platform", l.Platform], ["label", l.Label], ["events", string.Join(' ', l.Events)],
                ["delivery", l.Delivery.Url is null ? l.Delivery.Type : $"{l.Delivery.Type} {l.Delivery.Url}"], ["state", l.State], ["queue", l.Queue],
                ["queue depth", l.QueueDepth?.ToString(CultureInfo.InvariantCulture)],
                .. (l.Transactions ?? new Dictionary<string, long>()).Select(t => new[] { $"transactions {t.Key}", t.Value.ToString(CultureInfo.InvariantCulture) }),
            ];
            run.Out.Table(["field", "value"], rows, "");
            return ExitCodes.Ok;
        });

        var rmId = ListenerId();
        var rm = new Command("rm", "Deregister a listener: its queue is removed, what it had not delivered is dropped") { rmId };
        rm.Handle(async (run, cancellationToken) =>
        {
            await using var client = run.Settings.Client();
            var dropped = await client.DeleteListenerAsync(run.Get(rmId), cancellationToken);
            if (run.Out.Json)
                run.Out.WriteJson(new { id = run.Get(rmId), deleted = true, dropped });
            else
                Console.WriteLine($"Removed {run.Get(rmId)} ({dropped} undelivered events dropped).");
            return ExitCodes.Ok;
        });

        return new Command("listeners", "Listeners registered at the hub") { ls, show, rm };
    }

    public static Command DeadLetters()
    {
        var lsId = ListenerId();
        var ls = new Command("ls", "A listener's dead letters: events that exhausted their retries") { lsId };
        ls.Handle(async (run, cancellationToken) =>
        {
            await using var client = run.Settings.Client();
            var dead = new List<Transaction>();
            await foreach (var t in client.GetTransactionsAsync(run.Get(lsId), "dead", cancellationToken))
                dead.Add(t);
            if (run.Out.Json)
                run.Out.WriteJson(dead);
            else
                run.Out.Table(["event", "name", "attempts", "status", "error"], dead.Select(t => new[] { t.EventId, t.Name, t.Attempts.ToString(CultureInfo.InvariantCulture), t.StatusCode?.ToString(CultureInfo.InvariantCulture), t.Error }), "No dead letters.");
            return ExitCodes.Ok;
        });

        var replayId = ListenerId();
        var events = new Option<string[]>("--event") { Description = "Only this event (repeat the option for more); every dead letter when left out", AllowMultipleArgumentsPerToken = true };
        var replay = new Command("replay", "Deliver dead letters again with a fresh retry schedule") { replayId, events };
        replay.Handle(async (run, cancellationToken) =>
        {
            await using var client = run.Settings.Client();
            var only = run.Get(events) is { Length: > 0 } ids ? ids : null;
            var replayed = await client.ReplayDeadLettersAsync(run.Get(replayId), only, cancellationToken);
            if (run.Out.Json)
                run.Out.WriteJson(new { replayed });
            else
                Console.WriteLine($"Replayed {replayed} dead letters.");
            return ExitCodes.Ok;
        });

        return new Command("dead-letters", "Dead letters of a listener") { ls, replay };
    }

    static Argument<string> ListenerId() => new("listener-id") { Description = "The listener's id (eventhub listeners ls)" };
}
