using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace EventHub.TestSupport;

/// <summary>
/// Auth0 Event Streams deliveries (CloudEvents 1.0, structured JSON) written from Auth0's public Event Streams schema
/// and its user.created example for a database signup; no real tenant's data. Ids follow the schema's patterns
/// (<c>evt_</c> and <c>est_</c> + 22 alphanumerics).
/// </summary>
public static class Auth0EventStreamEvents
{
    public const string Tenant = "example-tenant";
    public const string Source = "urn:auth0:example-tenant.us.auth0.com";
    public const string Stream = "est_3Hf8KqW1mZp5Xv9Lr2Tb6d";
    public const string UserId = "auth0|6512f0c1a2b3c4d5e6f70812";
    public const string OrganizationId = "org_W3yvGQpZmR8tLk2D";

    /// <summary>One CloudEvent as Auth0 delivers it; <paramref name="purpose"/> <c>test</c> is what the stream's test button sends.</summary>
    public static JsonObject Event(string type, JsonObject dataObject, string? id = null, string time = "2026-11-20T10:15:30.123Z", string? purpose = null)
    {
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["type"] = type,
            ["source"] = Source,
            ["id"] = id ?? NewEventId(),
            ["time"] = time,
            ["data"] = new JsonObject { ["object"] = dataObject },
            ["a0tenant"] = Tenant,
            ["a0stream"] = Stream,
        };
        if (purpose is not null)
            cloudEvent["a0purpose"] = purpose;
        return cloudEvent;
    }

    /// <summary><c>user.created</c> after a signup through Universal Login on the database connection.</summary>
    public static JsonObject UserCreatedFromDatabaseSignup(string? id = null, string? purpose = null) =>
        Event("user.created", User(name: "jane.doe@example.com", emailVerified: false, updatedAt: "2026-11-20T10:15:30.100Z"), id, "2026-11-20T10:15:30.123Z", purpose);

    /// <summary><c>user.updated</c>: the whole user as it is after the change (here: a new name, email verified).</summary>
    public static JsonObject UserUpdated(string name, string time, string? id = null) =>
        Event("user.updated", User(name, emailVerified: true, updatedAt: time), id, time);

    /// <summary><c>user.deleted</c>: the user as it was.</summary>
    public static JsonObject UserDeleted(string? id = null) =>
        Event("user.deleted", User("Jane Doe", emailVerified: true, updatedAt: "2026-11-21T09:00:00.000Z"), id, "2026-11-22T08:00:00.000Z");

    /// <summary><c>organization.member.added</c>: the organization and the user who joined it.</summary>
    public static JsonObject OrganizationMemberAdded(string? id = null) =>
        Event(
            "organization.member.added",
            new JsonObject
            {
                ["organization"] = new JsonObject { ["id"] = OrganizationId, ["name"] = "acme" },
                ["user"] = new JsonObject { ["user_id"] = UserId },
            },
            id,
            "2026-11-20T10:16:02.481Z");

    /// <summary>A type Auth0 might add later; the hub must pass it through, not drop it.</summary>
    public static JsonObject Unknown(string type = "session.revoked", string? id = null) =>
        Event(type, new JsonObject { ["session_id"] = "ses_Qw8Zk2Lp5Xv9Tb3R", ["user_id"] = UserId }, id, "2026-11-20T10:17:45.000Z");

    public static string NewEventId() => "evt_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 22);

    public static string Batch(params JsonObject[] events) => new JsonArray([.. events.Select(e => (JsonNode)e.DeepClone())]).ToJsonString();

    static JsonObject User(string name, bool emailVerified, string updatedAt) => new()
    {
        ["user_id"] = UserId,
        ["email"] = "jane.doe@example.com",
        ["email_verified"] = emailVerified,
        ["name"] = name,
        ["nickname"] = "jane.doe",
        ["picture"] = "https://s.gravatar.com/avatar/0c5e0f9a1b2c3d4e5f60718293a4b5c6?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fja.png",
        ["identities"] = new JsonArray(new JsonObject
        {
            ["connection"] = "Username-Password-Authentication",
            ["provider"] = "auth0",
            ["user_id"] = "6512f0c1a2b3c4d5e6f70812",
            ["isSocial"] = false,
        }),
        ["user_metadata"] = new JsonObject(),
        ["app_metadata"] = new JsonObject(),
        ["created_at"] = "2026-11-20T10:15:30.100Z",
        ["updated_at"] = updatedAt,
    };
}
