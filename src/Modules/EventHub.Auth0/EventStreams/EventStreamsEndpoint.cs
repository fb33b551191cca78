using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace EventHub.Auth0.EventStreams;

/// <summary>Registration and route of the Event Streams ingress, kept in this feature folder; the module file calls both.</summary>
internal static class EventStreamsEndpoint
{
    // Written from Auth0's published Event Streams schema (user.created after a database signup); no real tenant's data.
    const string UserCreatedExample = """{"specversion": "1.0", "type": "user.created", "source": "urn:auth0:example-tenant.us.auth0.com", "id": "evt_7Qm2XkP9sLd4RtVw8YzN1c", "time": "2026-11-20T10:15:30.123Z", "a0tenant": "example-tenant", "a0stream": "est_3Hf8KqW1mZp5Xv9Lr2Tb6d", "data": {"object": {"user_id": "auth0|6512f0c1a2b3c4d5e6f70812", "email": "jane.doe@example.com", "email_verified": false, "identities": [{"connection": "Username-Password-Authentication", "provider": "auth0", "user_id": "6512f0c1a2b3c4d5e6f70812", "isSocial": false}], "created_at": "2026-11-20T10:15:30.100Z", "updated_at": "2026-11-20T10:15:30.100Z"}}}""";

    public static IHostApplicationBuilder AddEventStreams(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<Auth0Options>, EventStreamsOptionsValidator>();
        builder.Services.AddSingleton<EventStreamTokens>();
        builder.Services.AddSingleton<EventStreamMetrics>();
        builder.Services.AddScoped<EventStreamIngress>();
        builder.Services.AddHostedService<EventStreamsNotice>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEventStreamsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/auth0/events", (HttpRequest request, EventStreamIngress ingress, CancellationToken cancellationToken) =>
                ingress.ReceiveAsync(request, cancellationToken))
            .WithName("ReceiveAuth0EventStream")
            .WithTags("Auth0")
            .WithSummary("Auth0 Event Streams (CloudEvents over webhook) ingress")
            .WithDescription("Structured CloudEvents 1.0 JSON, one event or a batch (gzip allowed). Token: Authorization: Bearer <EventHub__Auth0__EventStreams__Tokens__N>. Each event is published as auth0.events.<type> with id = the CloudEvents id; 200 once the broker confirmed them all.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Described here, not with Accepts(): the endpoint answers a wrong Content-Type itself, with a problem naming it.
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [CloudEventParser.SingleMediaType] = new() { Example = JsonNode.Parse(UserCreatedExample) },
                        [CloudEventParser.BatchMediaType] = new() { Example = JsonNode.Parse($"[{UserCreatedExample}]") },
                        ["application/json"] = new() { Example = JsonNode.Parse(UserCreatedExample) },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces<EventStreamAccepted>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
        return app;
    }

    /// <summary>Says at startup whether the endpoint takes anything, so a missing token is not found by a failing stream.</summary>
    sealed class EventStreamsNotice(EventStreamTokens tokens, IOptions<Auth0Options> options, ILogger<EventStreamIngress> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!tokens.IsConfigured)
                logger.LogInformation("POST /webhooks/auth0/events refuses every request until EventHub__Auth0__EventStreams__Tokens__0 is set");
            else if (options.Value.EventStreams.Tokens.Count == 0)
                logger.LogWarning("POST /webhooks/auth0/events accepts unauthenticated requests (EventHub__Auth0__EventStreams__AllowAnonymous=true and no token set)");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
