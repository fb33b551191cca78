using System.Text.Json.Nodes;

namespace EventHub.Dashboard.Tests;

/// <summary>A server-sent event stream read line by line; <see cref="NextEventAsync"/> returns the next data line's JSON.</summary>
internal sealed class SseStream : IAsyncDisposable
{
    readonly HttpResponseMessage _response;
    readonly StreamReader _reader;

    SseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public static async Task<SseStream> OpenAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var stream = new SseStream(response, await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        // The server writes a comment first: once it is read, the stream is subscribed and nothing emitted after is missed.
        while (await stream.ReadLineAsync() is { } line && line != ": connected")
        {
        }

        return stream;
    }

    public async Task<JsonNode> NextEventAsync()
    {
        while (await ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                return JsonNode.Parse(line["data: ".Length..])!;
        }

        throw new EndOfStreamException("The event stream ended");
    }

    async Task<string?> ReadLineAsync()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        return await _reader.ReadLineAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
