using EventHub.Access;
using EventHub.Contracts.Events;
using EventHub.Contracts.Listeners;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

/// <summary>
/// One event and where it went, read in process from the events and listeners modules: it answers while the broker is
/// away. A key sees what <c>GET /v1/events/{id}</c> shows it: an event it may not read is answered as absent.
/// </summary>
internal sealed class EventModel(IEventLogReader log, IEventDeliveriesReader? deliveries = null, IListenersReader? listeners = null) : PageModel
{
    public string Id { get; private set; } = "";
    public string? Name { get; private set; }
    public string? Source { get; private set; }
    public string Time { get; private set; } = "";
    public string ReceivedAt { get; private set; } = "";
    public string RawPayload { get; private set; } = "";
    public string PrettyPayload => Format.Pretty(RawPayload);
    public bool IsAuth0 => Name?.StartsWith("auth0.", StringComparison.Ordinal) == true;
    public IReadOnlyList<Transaction>? Transactions { get; private set; }

    public async Task OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        var caller = HttpContext.Caller()!;
        var found = caller.Has(Scopes.EventsRead) ? await log.FindAsync(id, cancellationToken) : null;
        if (found is null || !caller.MayRead(found.Name))
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Name = found.Name;
        Source = found.Source;
        Time = Format.Time(found.OccurredAt);
        ReceivedAt = Format.Time(found.ReceivedAt);
        // The log keeps the payload as the very text that was received.
        RawPayload = found.Payload;
        if (deliveries is null || listeners is null)
            return;
        var names = (await listeners.ListAsync(caller.Name, cancellationToken)).ToDictionary(l => l.Id, l => l.Name);
        Transactions = [.. (await deliveries.ReadAsync(id, cancellationToken)).Deliveries.Select(t => new Transaction(
            t.ListenerId, names.GetValueOrDefault(t.ListenerId, t.ListenerId), t.State, t.Attempts, t.StatusCode, t.Error, t.Output, Format.Time(t.UpdatedAt)))];
    }

    internal sealed record Transaction(string ListenerId, string ListenerName, string State, int Attempts, int? StatusCode, string? Error, string? Output, string UpdatedAt);
}
