using System.Data.Common;
using EventHub.Storage.Startup;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EventHub.Host.Hosting;

/// <summary>
/// The one answer of every endpoint that needs the database while it cannot be used: 503 with Retry-After as
/// problem+json, never a 500. Before the schema is in place nothing past the gate runs (an ingress would otherwise
/// publish a batch it then cannot record); after that, any query failing as transient ends here.
/// </summary>
internal sealed class DatabaseUnavailable(ILogger<DatabaseUnavailable> logger) : IExceptionHandler
{
    // About one back-off step of the startup wait: a client comes back when the database may well be there.
    const int RetryAfterSeconds = 5;

    // Health, metrics and the API description read no table, and must answer while the database is away.
    static readonly string[] WithoutDatabase = ["/health", "/metrics", "/openapi", "/docs"];

    /// <summary>The handler, and the 503 in every operation of the OpenAPI document (any of them may meet it).</summary>
    public static IServiceCollection AddDatabaseUnavailable(IServiceCollection services)
    {
        services.AddExceptionHandler<DatabaseUnavailable>();
        services.Configure<OpenApiOptions>("v1", options => options.AddOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            operation.Responses.TryAdd("503", new OpenApiResponse
            {
                Description = "The database (or, for publishing endpoints, the broker) is unavailable: nothing was changed; retry after Retry-After seconds.",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                },
            });
            return Task.CompletedTask;
        }));
        return services;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DbException { IsTransient: true })
            return false;
        logger.LogWarning("Answered 503: the database is unavailable ({Error})", exception.GetType().Name);
        return await AnswerAsync(httpContext, exception);
    }

    /// <summary>Until the schema is in place, requests that may touch the database get the answer above.</summary>
    public static IApplicationBuilder UseDatabaseGate(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var database = context.RequestServices.GetRequiredService<DatabaseStatus>();
        if (database.IsReady || Array.Exists(WithoutDatabase, path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
            await next(context);
        else
            await AnswerAsync(context, null);
    });

    static async Task<bool> AnswerAsync(HttpContext context, Exception? exception)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = $"The hub cannot use its database right now. Nothing was changed; try again in {RetryAfterSeconds} seconds.",
            },
        });
    }
}
