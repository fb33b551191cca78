using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventHub.Dashboard;

/// <summary>How the pages write times, durations and JSON: UTC with seconds (operators compare with logs), JSON indented.</summary>
internal static class Format
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";

    public static string Time(JsonNode? node) =>
        node is not null && DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? Time(t) : "—";

    public static string Ago(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t)
            return "never";
        var age = now - t;
        return age.TotalSeconds < 60 ? $"{Math.Max(0, (int)age.TotalSeconds)} s ago"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} days ago";
    }

    /// <summary>The JSON text indented for reading; text that is not JSON comes back as it is.</summary>
    public static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    public static string Text(JsonNode? node) => node is null ? "" : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
}
