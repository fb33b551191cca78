using EventHub.Access;
using EventHub.Contracts.ErrorQueues;
using System.Text.Json;
using EventHub.Host.Bus;
using MassTransit;

namespace EventHub.Host.ErrorQueues;

/// <summary>
/// <c>GET /v1/errors</c> and <c>POST /v1/errors/{queue}/replay</c>: the hub's own consumers' <c>_error</c> queues
/// (messages that failed after every retry), looked at and moved back once the fault is fixed. RabbitMQ only: the
/// in-memory transport's error queues live and die with the process and cannot be read.
/// </summary>
internal static class ErrorQueueEndpoints
{
    const int DefaultPeek = 20;
    const int MaxPeek = 200;
    const int MaxSelected = 10000;

    public static WebApplicationBuilder AddErrorQueues(this WebApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(RabbitMqAdminConnection)))
        {
            builder.Services.AddSingleton<ErrorQueueBrowser>();
            builder.Services.AddSingleton<IErrorQueues>(services => services.GetRequiredService<ErrorQueueBrowser>());
            builder.Services.AddReceiveEndpointObserver(services => services.GetRequiredService<ErrorQueueBrowser>());
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapErrorQueueEndpoints(this IEndpointRouteBuilder app)
    {
        // Admin only, reading included: an error queue holds whole events, personal data and all.
        var errors = app.MapGroup("/v1/errors").WithTags("Error queues").RequireScope(Scopes.Admin);
        errors.MapGet("/", ListAsync).WithName("ListErrorQueues")
            .WithSummary("The hub's own consumers' _error queues: counts and, per message, the exception MassTransit recorded (?peek=20, at most 200)")
            .ProducesValidationProblem();
        errors.MapPost("/{queue}/replay", ReplayAsync).WithName("ReplayErrorQueue")
            .WithSummary("Move messages of an _error queue back to their queue: all, or {\"messageIds\": [...]}")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).DisableAntiforgery();
        return app;
    }

    static async Task<IResult> ListAsync(int? peek, IServiceProvider services, BusDescription bus, CancellationToken cancellationToken)
    {
        if (peek is < 0 or > MaxPeek)
            return Invalid("peek", $"must be from 0 to {MaxPeek}: how many messages of each queue to show");
        var browser = services.GetService<IErrorQueues>();
        var queues = browser is null ? [] : await browser.ListAsync(peek ?? DefaultPeek, cancellationToken);
        return Results.Ok(new { transport = bus.Transport.ToString(), items = queues });
    }

    static async Task<IResult> ReplayAsync(string queue, HttpRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        HashSet<string>? selected = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 4 }, cancellationToken);
            }
            catch (JsonException e)
            {
                return Invalid("body", $"is not valid JSON ({e.Message})");
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    return Invalid("body", "must be a JSON object: {\"messageIds\": [...]}, or empty for every message");
                if (root.TryGetProperty("messageIds", out var ids))
                {
                    if (ids.ValueKind != JsonValueKind.Array || ids.GetArrayLength() is 0 or > MaxSelected || ids.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
                        return Invalid("messageIds", $"must be an array of 1 to {MaxSelected} message ids (GET /v1/errors shows them)");
                    selected = [.. ids.EnumerateArray().Select(i => i.GetString()!)];
                }
            }
        }

        var browser = services.GetService<IErrorQueues>();
        return browser is not null && await browser.ReplayAsync(queue, selected, cancellationToken) is { } replay
            ? Results.Ok(replay)
            : Results.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No such error queue",
                detail: $"'{queue}' is not the _error queue of one of the hub's consumers (GET /v1/errors lists them; the in-memory transport has none).",
                extensions: new Dictionary<string, object?> { ["field"] = "queue" });
    }

    static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid request", detail: $"{field} {message}.", extensions: new Dictionary<string, object?> { ["field"] = field });
}
