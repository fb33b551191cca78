using System.Text.Encodings.Web;
using System.Text.Json;

namespace EventHub.Storage.PersonalData;

/// <summary>
/// One module's part of erasing a person: it removes the rows of its tables that carry the person's user id and says
/// how many. The host's <c>DELETE /v1/personal-data</c> runs every registered eraser.
/// </summary>
public interface IPersonalDataEraser
{
    /// <summary>What it erases, as the answer names it (<c>events</c>, <c>deliveries</c>, <c>detections</c>).</summary>
    string Name { get; }

    Task<int> EraseAsync(PersonalDataMatch match, CancellationToken cancellationToken);
}

/// <summary>
/// Which stored JSON is about the user: text that holds the user id as a whole JSON string (<c>"auth0|61f0..."</c>,
/// quotes included), so an id never matches inside another value. Use as <c>column LIKE @pattern ESCAPE '\'</c>.
/// Rows are removed whole: the same row carries the person's email and IP address.
/// </summary>
public sealed class PersonalDataMatch(string userId)
{
    // Escapes only what JSON must (quotes, backslashes, control characters), as Auth0 and the hub write it.
    static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string UserId { get; } = userId;

    public string Pattern { get; } = "%" + EscapeLike(JsonSerializer.Serialize(userId, Json)) + "%";

    static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
