namespace EventHub.Host.Hosting;

/// <summary>
/// <c>EventHub.Host --healthcheck</c>: asks the host running beside it (same container) for <c>/health/live</c> and
/// exits 0 when it answers 200, 1 otherwise. The image's HEALTHCHECK runs this, so the image needs no curl or wget.
/// </summary>
internal static class HealthProbe
{
    public const string Argument = "--healthcheck";

    public static async Task<int> RunAsync()
    {
        // With a management port the probe is only served there (ManagementPort).
        var address = Environment.GetEnvironmentVariable("EventHub__Management__Port") is { Length: > 0 } management
            ? new Uri($"http://127.0.0.1:{management.Trim()}/")
            : LocalAddress(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"), Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(address, "/health/live"));
            if (response.IsSuccessStatusCode)
                return 0;
            await Console.Error.WriteLineAsync($"{address}health/live answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{address}health/live did not answer: {e.Message}");
        }

        return 1;
    }

    /// <summary>Where the host listens, seen from inside its container: the first http URL or port, on loopback.</summary>
    public static Uri LocalAddress(string? urls, string? httpPorts)
    {
        var url = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (url is not null)
        {
            // Kestrel's wildcards (+, *, 0.0.0.0, [::]) are not addresses a client can call.
            var authority = url["http://".Length..].Split('/')[0];
            var port = authority.LastIndexOf(':') is var colon and > 0 && !authority[colon..].Contains(']', StringComparison.Ordinal)
                ? authority[(colon + 1)..]
                : "80";
            return new Uri($"http://127.0.0.1:{port}/");
        }

        var firstPort = httpPorts?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return new Uri(firstPort is null ? "http://127.0.0.1:5080/" : $"http://127.0.0.1:{firstPort}/");
    }
}
