using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EventHub.Host.Hosting;

/// <summary>Tells OpenAPI readers (and the docs UI's "try it") how to send an API key.</summary>
internal sealed class ApiKeySecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "EventHub";
        document.Info.Description = "Auth0 Log Streams ingress, emit and query events. Errors are application/problem+json (RFC 9457).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthentication.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.HeaderName,
            Description = "A key configured as EventHub__Keys__<name>; also accepted as Authorization: Bearer <key>.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.SchemeName, document)] = [] });
        return Task.CompletedTask;
    }
}
