using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Auth0.Backfill;

/// <summary>
/// The two Management API calls the backfill needs, and nothing more: a client-credentials token (cached until shortly
/// before it expires) and pages of <c>GET /api/v2/logs</c> by checkpoint. Transient failures and 429s are retried by the
/// resilience handler of the named client (see <see cref="Auth0Module"/>), honouring Auth0's rate-limit headers.
/// </summary>
internal sealed class ManagementApi(IHttpClientFactory clients, IOptions<Auth0Options> options, TimeProvider time, ILogger<ManagementApi> logger)
{
    public const string HttpClientName = "auth0-management";
    static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(30);

    readonly SemaphoreSlim _tokenLock = new(1, 1);
    string? _token;
    DateTimeOffset _tokenExpiresAt;
    (string Message, bool Credentials, DateTimeOffset Until)? _failure;

    /// <summary>Gets a token now (or the cached one): the health check's way of asking whether the credentials work.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && time.GetUtcNow() < _tokenExpiresAt)
            return cached;

        await _tokenLock.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_token is { } fresh && now < _tokenExpiresAt)
                return fresh;
            // A rejected secret is remembered briefly, so health probes do not hammer Auth0's token endpoint.
            if (_failure is { } failure && now < failure.Until)
                throw new ManagementApiException(failure.Message, failure.Credentials);
            try
            {
                return await RequestTokenAsync(now, cancellationToken);
            }
            catch (ManagementApiException e)
            {
                _failure = (e.Message, e.CredentialsRejected, now + FailureMemory);
                throw;
            }
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    public async Task<LogsPage> GetLogsAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await GetTokenAsync(cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await Client().SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                // The token was revoked or expired early: forget it and get a new one, once.
                _token = null;
                continue;
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new ManagementApiException($"Auth0 refused GET /api/v2/logs ({(int)response.StatusCode}): grant the application read:logs on the Management API", credentialsRejected: true);
            if (!response.IsSuccessStatusCode)
                throw new ManagementApiException($"GET /api/v2/logs answered {(int)response.StatusCode} after retries");

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new LogsPage(body, LinkHeader.NextPathAndQuery(response.Headers));
        }
    }

    async Task<string> RequestTokenAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var body = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.ClientId!,
            ["client_secret"] = settings.ClientSecret!,
            ["audience"] = BackfillSettings.Audience(settings),
        };
        using var response = await Client().PostAsJsonAsync("oauth/token", body, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var error = await ErrorCodeAsync(response, cancellationToken);
            logger.LogWarning("Auth0 rejected the Management API client credentials ({Status} {Error})", (int)response.StatusCode, error);
            throw new ManagementApiException($"Auth0 rejected the client credentials ({(int)response.StatusCode} {error}): check EventHub__Auth0__ClientId, __ClientSecret and the application's grant", credentialsRejected: true);
        }

        if (!response.IsSuccessStatusCode)
            throw new ManagementApiException($"POST /oauth/token answered {(int)response.StatusCode} after retries");

        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (!json.RootElement.TryGetProperty("access_token", out var accessToken) || accessToken.GetString() is not { Length: > 0 } token)
            throw new ManagementApiException("POST /oauth/token answered without an access_token");
        var lifetime = json.RootElement.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(5);
        // Renewed a little early, so a page never starts with a token about to expire.
        _tokenExpiresAt = now + lifetime - TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 2));
        _token = token;
        _failure = null;
        return token;
    }

    static async Task<string> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return json.RootElement.TryGetProperty("error", out var error) && error.GetString() is { } code ? code : "no error code";
        }
        catch (JsonException)
        {
            return "no error code";
        }
    }

    HttpClient Client() => clients.CreateClient(HttpClientName);
}
