using EventHub.Access;
using EventHub.Composition.Switches;
using EventHub.Contracts.Security;
using EventHub.Security.DetectionsApi;
using EventHub.Security.EvaluateRules;
using EventHub.Security.Rules;
using EventHub.Storage.Sagas;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using EventHub.Publishing;

namespace EventHub.Security;

public static class SecurityModule
{
    public static IHostApplicationBuilder AddSecurityModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        builder.Services.AddOptions<DetectionRulesOptions>().BindConfiguration(DetectionRulesOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DetectionRulesOptions>, DetectionRulesOptionsValidator>();
        builder.Services.AddHostedService<CompileRulesAtStartup>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IDetectionsReader, DetectionsReader>();
        return builder;
    }

    /// <summary>
    /// The Sigma rules' consumer, with the correlations' state in the hub's database. Brute force, credential stuffing
    /// and breached password are built-in rules too (docs/adr/0030); their switches are the container's
    /// <see cref="HubSwitches"/> (required, never defaulted here: a composition that forgot them must not run detections
    /// that were switched off), read as entries are counted.
    /// </summary>
    public static void ConfigureConsumers(IRegistrationConfigurator configurator)
    {
        configurator.TryAddSingleton<DetectionRules>();
        configurator.TryAddSingleton<CorrelationTracker>();
        configurator.AddConfirmedPublishing();
        configurator.AddStoredSagaRepository<CorrelationState>();
        configurator.AddConsumer<EvaluateRulesConsumer, EvaluateRulesConsumerDefinition>();
    }

    public static IEndpointRouteBuilder MapSecurityEndpoints(this IEndpointRouteBuilder app)
    {
        // Rules describe what the hub watches in the Auth0 stream, and the test reads entries from it: auth0:read.
        var detections = app.MapGroup("/v1/detections").WithTags("Detections").RequireScope(Scopes.Auth0Read)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        detections.MapGet("/", (IDetectionsReader reader) => reader.Read())
            .WithName("ListDetections")
            .WithSummary("The Sigma rules loaded and refused")
            .WithDescription("Every rule (built-in and from EventHub__Detections__RulesPath) with its source file and line, equivalents, and the matches and alerts of this host copy since it started; every refused rule with its file, line and why.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        detections.MapPost("/test", TestDetectionsEndpoint.HandleAsync)
            .WithName("TestDetections")
            .WithSummary("Which rules match one Auth0 entry")
            .WithDescription("Body: {\"entry\": {\"log_id\", \"data\"}} (a Log Stream entry) or {\"logId\"} (an entry in the event log). The rules whose detection matches it, before any correlation, with the selections that matched. Publishes nothing.")
            .Produces<DetectionTest>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();
        return app;
    }
}
