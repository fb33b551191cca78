using Microsoft.AspNetCore.Http;

namespace EventHub.Dashboard;

/// <summary>The dashboard's stylesheet and script, embedded in the assembly: the host serves them, nothing comes from the internet.</summary>
internal static class AssetEndpoint
{
    static readonly Dictionary<string, (byte[] Body, string ContentType)> Assets = Load();

    /// <summary>Changes with the assets' content, so pages can let browsers cache them and still get a new version at once.</summary>
    public static string Version { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Assets.OrderBy(a => a.Key, StringComparer.Ordinal).SelectMany(a => a.Value.Body).ToArray()))[..12];

    public static IResult Handle(string file, HttpContext context)
    {
        if (!Assets.TryGetValue(file, out var asset))
            return Results.NotFound();
        context.Response.Headers.CacheControl = "public, max-age=3600";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(asset.Body, asset.ContentType);
    }

    static Dictionary<string, (byte[], string)> Load()
    {
        const string Prefix = "EventHub.Dashboard.Assets.";
        var assembly = typeof(AssetEndpoint).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[Prefix.Length..];
            assets[file] = (copy.ToArray(), Path.GetExtension(file) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            });
        }

        return assets;
    }
}
