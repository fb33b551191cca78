using System.Buffers;
using System.Text.Json;
using EventHub.Access;
using EventHub.Contracts.Listeners;
using EventHub.Events.EventLog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace EventHub.Events.QueryEvents;

internal static class GetEventEndpoint
{
    public static async Task<IResult> HandleAsync(string id, HttpContext context, EventLogStore store, [FromServices] IEventDeliveriesReader? deliveries, CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync(id, cancellationToken);
        // An event the key may not read is answered as absent: a 403 would confirm that the id exists.
        if (stored is null || !context.Caller()!.MayRead(stored.Name))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: $"No event with id '{id}' is in the event log.", extensions: new Dictionary<string, object?> { ["field"] = "id" });

        // Null (not an empty list) when the listeners module is off: nothing could have been delivered.
        var transactions = deliveries is null ? null : await deliveries.ReadAsync(id, cancellationToken);
        return new EventJsonResult(stored, transactions);
    }

    /// <summary>Writes the payload as the very JSON that was received, not a re-serialisation of it.</summary>
    sealed class EventJsonResult(StoredEvent stored, EventDeliveries? transactions) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json";
            // Written to a buffer first: JsonSerializer flushes its writer synchronously, which Kestrel forbids.
            var buffer = new ArrayBufferWriter<byte>();
            await using (var writer = new Utf8JsonWriter(buffer))
                EventJson.Write(writer, stored, WriteTransactions);

            await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
        }

        void WriteTransactions(Utf8JsonWriter writer)
        {
            writer.WritePropertyName("transactions");
            if (transactions is null)
                writer.WriteNullValue();
            else
                JsonSerializer.Serialize(writer, transactions.Deliveries, JsonOptions);
        }
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
