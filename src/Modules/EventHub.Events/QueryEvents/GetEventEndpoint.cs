using System.Text.Json;
using EventHub.Events.EventLog;
using Microsoft.AspNetCore.Http;

namespace EventHub.Events.QueryEvents;

internal static class GetEventEndpoint
{
    public static async Task<IResult> HandleAsync(string id, EventLogStore store, CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync(id, cancellationToken);
        return stored is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: $"No event with id '{id}' is in the event log.")
            : new EventJsonResult(stored);
    }

    /// <summary>Writes the payload as the very JSON that was received, not a re-serialisation of it.</summary>
    sealed class EventJsonResult(StoredEvent stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(httpContext.Response.Body);
            EventJson.Write(writer, stored);
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
