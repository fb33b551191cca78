using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EventHub.Host.Hosting;

/// <summary>
/// Applications authenticate with an API key from <c>EventHub__Keys__&lt;name&gt;=&lt;secret&gt;</c>, sent as
/// <c>X-EventHub-Key</c> or <c>Authorization: Bearer</c>. The key's name becomes the principal's name (and so the
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

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(presented))
        {
            var authorization = Request.Headers.Authorization.ToString();
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                presented = authorization[7..].Trim();
        }

        if (string.IsNullOrEmpty(presented))
            return Task.FromResult(AuthenticateResult.NoResult());

        var name = keys.Find(presented);
        if (name is null)
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key"));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Missing or unknown API key",
            detail: $"Send a key configured as EventHub__Keys__<name> in the {HeaderName} header or as Authorization: Bearer <key>.",
            extensions: new Dictionary<string, object?> { ["field"] = HeaderName }).ExecuteAsync(Context);
    }
}
