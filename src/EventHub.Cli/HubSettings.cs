using System.Text.Json;
using EventHub.Client;

namespace EventHub.Cli;

/// <summary>
/// Where the hub is and the keys to use, first found wins: the command line (<c>--url</c>, <c>--key</c>), the
/// environment (<c>EVENTHUB_URL</c>, <c>EVENTHUB_KEY</c>, <c>EVENTHUB_AUTH0_TOKEN</c>), then the config file
/// (<c>EVENTHUB_CONFIG</c>, else <c>$XDG_CONFIG_HOME/eventhub/config.json</c> or <c>~/.config/eventhub/config.json</c>).
/// </summary>
internal sealed record HubSettings(Uri Url, string? Key, string? Auth0Token)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static HubSettings Resolve(string? url, string? key, string? auth0Token)
    {
        var file = ReadConfigFile();
        var text = url ?? Environment.GetEnvironmentVariable("EVENTHUB_URL").NullIfEmpty() ?? file.Url ?? DefaultUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--url '{text}' is not an http(s) URL (from --url, EVENTHUB_URL or the config file)");
        return new HubSettings(
            uri,
            key ?? Environment.GetEnvironmentVariable("EVENTHUB_KEY").NullIfEmpty() ?? file.Key,
            auth0Token ?? Environment.GetEnvironmentVariable("EVENTHUB_AUTH0_TOKEN").NullIfEmpty() ?? file.Auth0Token);
    }

    public EventHubClient Client(TimeSpan? shutdownTimeout = null)
    {
        if (Key is null)
            throw new EventHubAuthenticationException("No API key: pass --key, set EVENTHUB_KEY, or put \"key\" in the config file", System.Net.HttpStatusCode.Unauthorized, null);
        return new EventHubClient(new EventHubClientOptions
        {
            BaseAddress = Url,
            ApiKey = Key,
            // A person waits at the prompt: one quick retry, then the error.
            MaxRetries = 1,
            Timeout = TimeSpan.FromSeconds(20),
            ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10),
        });
    }

    static ConfigFile ReadConfigFile()
    {
        var path = ConfigPath();
        if (!File.Exists(path))
            return new ConfigFile();
        try
        {
            return JsonSerializer.Deserialize<ConfigFile>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? new ConfigFile();
        }
        catch (JsonException e)
        {
            throw new UsageException($"The config file {path} is not valid JSON ({e.Message}); expected {{\"url\": \"...\", \"key\": \"...\", \"auth0Token\": \"...\"}}");
        }
    }

    static string ConfigPath()
    {
        if (Environment.GetEnvironmentVariable("EVENTHUB_CONFIG").NullIfEmpty() is { } given)
            return given;
        var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME").NullIfEmpty()
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(configHome, "eventhub", "config.json");
    }

    sealed record ConfigFile(string? Url = null, string? Key = null, string? Auth0Token = null);
}

internal static class Text
{
    public static string? NullIfEmpty(this string? value) => string.IsNullOrEmpty(value) ? null : value;
}
