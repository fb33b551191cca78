using System.CommandLine;
using EventHub.Client;

namespace EventHub.Cli.Commands;

/// <summary><c>events</c>: the event log, newest pages as the hub orders them, filtered like <c>GET /v1/events</c>.</summary>
internal static class EventsCommand
{
    public static Command Create()
    {
        var name = new Option<string?>("--name") { Description = "An event name or topic pattern: order.*, auth0.#" };
        var source = new Option<string?>("--source") { Description = "Only events from this source (an API key's name, auth0)" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only events at or after this time (ISO 8601)" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Only events before this time (ISO 8601)" };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 20, Description = "At most this many events (1-10000)" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 10000)
                result.AddError("--limit must be from 1 to 10000");
        });
        var command = new Command("events", "Query the event log") { name, source, since, until, limit };
        command.Handle(async (run, cancellationToken) =>
        {
            var count = run.Get(limit);
            var query = new EventQuery { Name = run.Get(name), Source = run.Get(source), Since = run.Get(since), Until = run.Get(until), PageSize = Math.Min(count, 100) };
            await using var client = run.Settings.Client();
            var events = new List<HubEvent>();
            await foreach (var e in client.GetEventsAsync(query, cancellationToken))
            {
                events.Add(e);
                if (events.Count == count)
                    break;
            }

            if (run.Out.Json)
                run.Out.WriteJson(events.Select(e => new { e.Id, e.Name, e.Source, e.Time, e.ReceivedAt, e.Payload }));
            else
                run.Out.Table(["time", "name", "id", "source", "payload"], events.Select(e => new[] { Output.Time(e.Time), e.Name, e.Id, e.Source, Output.Shorten(e.Payload.GetRawText(), 60) }), "No events.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
