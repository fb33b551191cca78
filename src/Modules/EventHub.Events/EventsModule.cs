using System.Text.Json.Nodes;
using EventHub.Access;
using EventHub.Contracts.Events;
using EventHub.Events.Catalog;
using EventHub.Events.Emit;
using EventHub.Events.EventLog;
using EventHub.Events.PersonalData;
using EventHub.Events.QueryEvents;
using EventHub.Events.Retention;
using EventHub.Publishing;
using EventHub.Storage.PersonalData;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace EventHub.Events;

public static class EventsModule
{
    const string EmitExample = """{"name": "order.placed", "payload": {"orderId": 42, "total": "19.90"}, "id": "order-42-placed", "time": "2026-11-24T10:15:30Z"}""";
    const string BuildableExample = """{"event": "my-first-event", "payload": {"salutation": "Hello World!"}}""";
    const string CloudEventExample = """{"specversion": "1.0", "type": "order.placed", "source": "/shop", "id": "order-42-placed", "time": "2026-11-24T10:15:30Z", "data": {"orderId": 42}}""";

    public static IHostApplicationBuilder AddEventsModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EventsOptions>, EventsOptionsValidator>();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(EventLogSchema.V1);
        builder.Services.AddSingleton(EventLogSchema.V2);
        builder.Services.AddSingleton(EmittedIdsSchema.V1);
        builder.Services.AddSingleton(EmittedIdsSchema.V2);
        builder.Services.AddSingleton<EventLogStore>();
        builder.Services.AddSingleton<IEventLogReader, EventLogReader>();
        builder.Services.AddSingleton<IPersonalDataEraser, EventLogPersonalData>();
        builder.Services.AddSingleton<EventsMetrics>();
        builder.Services.AddSingleton<EmittedIds>();
        builder.Services.AddSingleton<EmittedNames>();
        builder.Services.AddConfirmedPublishing();
        builder.Services.AddSingleton<IEventCatalogReader, EventCatalogReader>();
        builder.Services.AddScoped<EventEmitter>();
        builder.Services.AddHostedService<RetentionService>();
        return builder;
    }

    public static void ConfigureConsumers(IRegistrationConfigurator configurator)
    {
        configurator.AddConsumer<StoreEventsConsumer, StoreEventsConsumerDefinition>();
    }

    public static IEndpointRouteBuilder MapEventsEndpoints(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/v1/events").WithTags("Events").RequireAuthorization();
        events.MapPost("/", EmitEndpoint.HandleAsync)
            .WithName("EmitEvents")
            .WithSummary("Emit one event or a batch")
            .WithDescription("Body: {name, payload, id?, time?}, an array of them, or CloudEvents 1.0 structured JSON (application/cloudevents+json, application/cloudevents-batch+json). 202 with the ids once the broker confirmed. Idempotency-Key or id: the same event is published once.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Described here, not with Accepts(): that would make ASP.NET refuse unlabelled JSON with a 415.
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Example = JsonNode.Parse(EmitExample) },
                        ["application/cloudevents+json"] = new() { Example = JsonNode.Parse(CloudEventExample) },
                        ["application/cloudevents-batch+json"] = new() { Example = JsonNode.Parse($"[{CloudEventExample}]") },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces<EmitAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery()
            .RequireScope(Scopes.Emit);
        app.MapPost("/emit", EmitEndpoint.HandleBuildableAsync)
            .RequireAuthorization()
            .WithTags("Events")
            .WithName("EmitBuildableEvents")
            .WithSummary("Emit, Buildable style (alias of POST /v1/events)")
            .WithDescription("Body: {event, payload, id?, time?} or an array of them; the key in X-Buildable-Secret (or X-EventHub-Key, Authorization: Bearer). Same keys, validation, idempotency and confirms as POST /v1/events; problems name the field (event, payload, [2].event).")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "X-Buildable-Secret",
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "An API key (EventHub__Keys__<name>), as Buildable senders send their secret.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Example = JsonNode.Parse(BuildableExample) },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces<EmitAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery()
            .RequireScope(Scopes.Emit);
        events.MapGet("/", ListEventsEndpoint.HandleAsync)
            .WithName("QueryEvents")
            .WithSummary("Query the event log")
            .WithDescription("name: an event name or topic pattern (* one word, # zero or more); source; since/until on the event's time; after: the cursor of the previous page; limit 1-1000 (default 100).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireScope(Scopes.EventsRead);
        app.MapGet("/v1/catalog", (EmittedNames emitted, CancellationToken cancellationToken) => EventCatalog.BuildAsync(emitted, cancellationToken))
            .RequireScope(Scopes.EventsRead)
            .WithTags("Catalog")
            .WithName("GetCatalog")
            .WithSummary("Every event name the hub knows (Auth0 log types, Event Streams types, alerts, listener events) with contracts and JSON Schemas, and every name applications emitted")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        events.MapGet("/{id}", GetEventEndpoint.HandleAsync)
            .WithName("GetEvent")
            .WithSummary("One event from the event log")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireScope(Scopes.EventsRead);
        return app;
    }
}
