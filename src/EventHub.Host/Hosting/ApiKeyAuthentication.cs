using System.Security.Claims;
using System.Text.Encodings.Web;
using EventHub.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EventHub.Host.Hosting;

/// <summary>
/// Applications authenticate with an API key from <c>EventHub__Keys__&lt;name&gt;=&lt;secret&gt;</c>, sent as
/// <c>X-EventHub-Key</c>, <c>Authorization: Bearer</c> or, for senders built for Buildable's <c>POST /emit</c>,
/// <c>X-Buildable-Secret</c>. The key's name becomes the principal's name (and so the
/// source of what it emits). Secrets are hashed before a fixed-time compare against every key.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-EventHub-Key";
    public const string BuildableHeaderName = "X-Buildable-Secret";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(presented))
            presented = Request.Headers[BuildableHeaderName];
        if (string.IsNullOrEmpty(presented))
        {
            var authorization = Request.Headers.Authorization.ToString();
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                presented = authorization[7..].Trim();
        }

        if (string.IsNullOrEmpty(presented))
            return Task.FromResult(AuthenticateResult.NoResult());

        var key = keys.Find(presented);
        if (key is null)
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key"));

        return Task.FromResult(Success(key));
    }

    // Only the name goes into the principal: endpoints look the key's scopes up by it (KeyAccess.Caller).
    static AuthenticateResult Success(ApiKey key) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name)], SchemeName)), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // A Buildable-style sender (POST /emit) is told about the header it knows.
        var header = Request.Path.StartsWithSegments("/emit", StringComparison.OrdinalIgnoreCase) ? BuildableHeaderName : HeaderName;
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Missing or unknown API key",
            detail: $"Send a key configured as EventHub__Keys__<name> in the {header} header or as Authorization: Bearer <key>.",
            extensions: new Dictionary<string, object?> { ["field"] = header }).ExecuteAsync(Context);
    }
}
