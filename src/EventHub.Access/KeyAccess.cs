using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Access;

/// <summary>How endpoints check the caller's key: one filter per scope, one refusal shape (403 naming what is missing).</summary>
public static class KeyAccess
{
    /// <summary>The key the request authenticated with, or null (anonymous, or a principal that is not a configured key).</summary>
    public static ApiKey? Caller(this HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name } ? context.RequestServices.GetRequiredService<ApiKeys>().Named(name) : null;

    /// <summary>
    /// Requires an authenticated key (401 without one, from the authorization this adds) and refuses (403, naming the
    /// scope) a key that lacks <paramref name="scope"/>: one call, so an endpoint cannot get the scope without the key.
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        if (!Scopes.All.Contains(scope))
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "not a scope");
        builder.RequireAuthorization();
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Caller() is { } key && key.Has(scope) ? await next(context) : MissingScope(scope));
        return builder.WithMetadata(new RequiredScope(scope));
    }

    public static IResult MissingScope(string scope) => Forbidden(
        "Missing scope",
        $"This key lacks the '{scope}' scope: add it as EventHub__Keys__<name>__Scopes__N on the hub, or use a key that has it.",
        scope);

    /// <summary>A 403 problem: <c>field</c> says what to change, <c>scope</c> the scope involved.</summary>
    public static IResult Forbidden(string title, string detail, string scope, string field = "scope") => Results.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: title,
        detail: detail,
        extensions: new Dictionary<string, object?> { ["field"] = field, ["scope"] = scope });

    /// <summary>Endpoint metadata: the scope an endpoint requires (for OpenAPI readers and tests that walk the endpoints).</summary>
    public sealed record RequiredScope(string Scope);
}
