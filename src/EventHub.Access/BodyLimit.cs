using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EventHub.Access;

/// <summary>
/// A smaller body limit for control endpoints (registrations, changes, acknowledgements), whose bodies are small: a
/// declared length over it is answered 413 before anything is read, and a chunked body is cut by the server at it.
/// </summary>
public static class BodyLimit
{
    public const long ControlBytes = 64 * 1024;

    public static TBuilder LimitBody<TBuilder>(this TBuilder builder, long bytes = ControlBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Request.ContentLength > bytes)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request too large",
                    detail: $"The body is larger than {bytes} bytes, the most this endpoint takes.",
                    extensions: new Dictionary<string, object?> { ["field"] = "body" });
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = bytes;
            return await next(context);
        });
}
