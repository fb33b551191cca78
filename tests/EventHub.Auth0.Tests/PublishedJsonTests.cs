using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EventHub.Auth0.LogStream;
using EventHub.Contracts;
using EventHub.TestSupport;
using MassTransit.Serialization;

namespace EventHub.Auth0.Tests;

/// <summary>
/// The JSON the bus carries for mapped entries (MassTransit's message serializer options, the runtime type, as a publish
/// serializes it), pinned so that a change in how records are generated or built cannot change the wire format unnoticed.
/// </summary>
public sealed class PublishedJsonTests
{
    static readonly DateTimeOffset ReceivedAt = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Each fixture file's entries: their contract names and the SHA-256 of their published JSON, one per line.
    /// Hashes rather than text: the shared fixtures stay out of the repository.
    /// </summary>
    public static TheoryData<string, string, string> RealEntries => new()
    {
        { "elastic-login-failure.json", "Auth0FailedLogin Auth0FailedLogin Auth0FailedLogin Auth0FailedLoginInvalidEmailUsername Auth0FailedLoginIncorrectPassword", "118c52b13f49d835fe1691ce856acaa274957450039431db26a1d46300401c0e" },
        { "elastic-pull-responses.json", "Auth0GuardianTenantUpdate Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0ManagementApiReadOperation Auth0SuccessClientCredentialsExchange Auth0SuccessApiOperation", "5c115aa01bf7c0f78aac541ace7b8fcb6b1d0bba2a4acad626465daa7440c3a3" },
        { "elastic-signup.json", "Auth0SuccessSignup Auth0SuccessSignup Auth0SuccessSignup Auth0SuccessSignup Auth0SuccessSignup Auth0FailedSignup", "4e7aeb00dfa6266b7c9c93c389b65dcfaf7ef07898342172e2ff6089e73f24ba" },
        { "elastic-user-behaviour.json", "Auth0FailedSendingNotification Auth0FailedSendingNotification Auth0SuccessVerificationEmail", "2c895ca6088093366231574f114154672926a18110ce5c9a0384120347f81e48" },
        { "panther-rules.json", "Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0FailedCrossOriginAuthentication Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0BreachedPasswordOnSignup Auth0BreachedPasswordOnSignup Auth0BreachedPasswordOnSignup Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0BreachedPassword Auth0BlockedAccountTooManyFailedLogins Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0BreachedPasswordOnSignup Auth0BreachedPasswordOnSignup Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0PushNotificationSent Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0MfaEnrollmentComplete Auth0MfaEnrollmentComplete Auth0MfaEnrollmentComplete Auth0FailedRotatingRefreshTokenExchange Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation Auth0SuccessApiOperation", "1db5c7e14f403cf38f5023865d26762dc931b7aed0ea721a23291b558350082a" },
    };

    [Theory]
    [MemberData(nameof(RealEntries))]
    public void Should_publish_real_entries_as_the_same_json(string file, string contracts, string sha256)
    {
        if (SharedCorpus.Auth0FixturesDirectory() is not { } directory)
        {
            Assert.Skip("../shared/fixtures/auth0 not found: the published JSON of real Auth0 entries was not checked");
            return;
        }

        var published = Map(File.ReadAllBytes(Path.Combine(directory, file)));
        var json = string.Join('\n', published.Select(Json));

        Assert.Equal(contracts, string.Join(' ', published.Select(e => e.GetType().Name)));
        Assert.True(sha256 == Sha256(json), $"The published JSON of {file} changed (SHA-256 {Sha256(json)}):\n{json}");
    }

    [Fact]
    public void Should_publish_a_known_code_with_these_property_names_and_values()
    {
        var record = Auth0Entries.Record("f", logId: "90020261124120000000000000000000000000000000000000000001")
            .With("scope", "openid profile").With("isMobile", "true").With("audience", "https://api.example.com")
            .With("organization_id", "org_1").With("organization_name", "Acme");
        var body = Encoding.UTF8.GetBytes(Auth0Entries.JsonArray([record]));

        Assert.Equal(Expected, Json(Map(body).Single()));
    }

    const string Expected = """
        {
          "eventId": "90020261124120000000000000000000000000000000000000000001",
          "name": "auth0.auth.login.fail.f",
          "source": "auth0:example-tenant",
          "occurredAt": "2026-11-20T10:15:30.123+00:00",
          "receivedAt": "2026-11-24T12:00:00+00:00",
          "payload": "{\"date\":\"2026-11-20T10:15:30.123Z\",\"type\":\"f\",\"description\":\"Wrong email or password.\",\"connection\":\"Username-Password-Authentication\",\"connection_id\":\"con_8x5Vh3WqLm2Kp9Rt\",\"client_id\":\"k3Vz8Qp1Lm5Xr9Tb2Wc7Yd4Fg6Hj0Ns\",\"client_name\":\"Storefront\",\"ip\":\"203.0.113.7\",\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36\",\"details\":{\"prompts\":[],\"stats\":{\"loginsCount\":3}},\"hostname\":\"example-tenant.eu.auth0.com\",\"user_id\":\"auth0|6512f0c1a2b3c4d5e6f70812\",\"user_name\":\"jane.doe@example.com\",\"strategy\":\"auth0\",\"strategy_type\":\"database\",\"tenant_name\":\"example-tenant\",\"log_id\":\"90020261124120000000000000000000000000000000000000000001\",\"scope\":\"openid profile\",\"isMobile\":\"true\",\"audience\":\"https://api.example.com\",\"organization_id\":\"org_1\",\"organization_name\":\"Acme\"}",
          "type": "f",
          "group": "auth.login.fail",
          "description": "Wrong email or password.",
          "tenant": "example-tenant",
          "clientId": "k3Vz8Qp1Lm5Xr9Tb2Wc7Yd4Fg6Hj0Ns",
          "clientName": "Storefront",
          "connection": "Username-Password-Authentication",
          "connectionId": "con_8x5Vh3WqLm2Kp9Rt",
          "userId": "auth0|6512f0c1a2b3c4d5e6f70812",
          "userName": "jane.doe@example.com",
          "ip": "203.0.113.7",
          "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
          "hostname": "example-tenant.eu.auth0.com",
          "strategy": "auth0",
          "strategyType": "database",
          "audience": "https://api.example.com",
          "scope": [
            "openid",
            "profile"
          ],
          "isMobile": true,
          "organizationId": "org_1",
          "organizationName": "Acme"
        }
        """;

    static string Json(IHubEvent published) => JsonSerializer.Serialize(published, published.GetType(), SystemTextJsonMessageSerializer.Options);

    static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    static List<IHubEvent> Map(byte[] body) => [.. LogStreamParser.Parse(body).Select(fields => Auth0LogMapper.Map(fields, body, ReceivedAt))];
}
