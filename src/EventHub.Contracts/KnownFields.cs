using System.Text.Json;

namespace EventHub.Contracts;

/// <summary>
/// The one rule every request body of the API follows: a field the hub does not know is refused with a 400 naming it,
/// never ignored, so a misspelt <c>"filtr"</c> cannot silently deliver everything. Responses may grow; requests may
/// not guess. Bodies written by others (Auth0's logs, CloudEvents with extension attributes) are not requests of this API.
/// </summary>
public static class KnownFields
{
    /// <summary>Each property of <paramref name="body"/> not in <paramref name="known"/>, named <paramref name="prefix"/> + its name, with the message to show.</summary>
    public static IEnumerable<(string Field, string Message)> Unknown(JsonElement body, string prefix, IReadOnlyCollection<string> known)
    {
        if (body.ValueKind != JsonValueKind.Object)
            yield break;
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name))
                yield return (prefix + property.Name, $"is not a field of this request (known: {string.Join(", ", known)})");
        }
    }
}
