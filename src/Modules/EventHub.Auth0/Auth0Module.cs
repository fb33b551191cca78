using System.Text.Json.Nodes;
using EventHub.Auth0.EventStreams;
using EventHub.Auth0.Backfill;
using EventHub.Auth0.LogStream;
using EventHub.Publishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace EventHub.Auth0;

public static class Auth0Module
{
    const string LogStreamExample = """[{"log_id": "90020231120101530123456789", "data": {"date": "2026-11-20T10:15:30.123Z", "type": "f", "description": "Wrong email or password.", "connection": "Username-Password-Authentication", "client_id": "k3Vz8Qp1Lm5Xr9Tb", "client_name": "Storefront", "ip": "203.0.113.7", "user_id": "auth0|6512f0c1a2b3", "user_name": "jane@example.com", "tenant_name": "example"}}]""";

    public static IHostApplicationBuilder AddAuth0Module(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Auth0Options>().BindConfiguration(Auth0Options.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<Auth0Options>, Auth0OptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WebhookTokens>();
        builder.Services.AddSingleton<Auth0Metrics>();
        builder.Services.AddConfirmedPublishing();
        builder.Services.AddScoped<LogStreamIngress>();
        builder.Services.AddHostedService<AnonymousIngressWarning>();
        builder.AddEventStreams();
        builder.AddBackfill();
        return builder;
    }

    public static IEndpointRouteBuilder MapAuth0Endpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/auth0", (HttpRequest request, LogStreamIngress ingress, CancellationToken cancellationToken) =>
                ingress.ReceiveAsync(request, cancellationToken))
            .WithName("ReceiveAuth0LogStream")
            .WithTags("Auth0")
            .WithSummary("Auth0 Log Streams (custom webhook) ingress")
            .WithDescription("Accepts a JSON array, JSON lines or one JSON object of {log_id, data} records (gzip allowed). 200 once every entry is confirmed by the broker.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Described here, not with Accepts(): that would make ASP.NET refuse other content types, and Auth0's
                // JSON lines format is not always labelled.
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Example = JsonNode.Parse(LogStreamExample) },
                        ["application/x-ndjson"] = new(),
                    },
                };
                return Task.CompletedTask;
            })
            .Produces<LogStreamAccepted>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
        app.MapEventStreamsEndpoint();
        app.MapBackfillEndpoints();
        return app;
    }

    sealed class AnonymousIngressWarning(IOptions<Auth0Options> options, ILogger<AnonymousIngressWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.Tokens.Count == 0 && options.Value.AllowAnonymous)
                logger.LogWarning("POST /webhooks/auth0 accepts unauthenticated requests (EventHub__Auth0__AllowAnonymous=true and no token set)");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
