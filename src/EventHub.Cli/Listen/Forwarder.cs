using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EventHub.Client;

namespace EventHub.Cli.Listen;

/// <summary>
/// Passes one event on to a local URL exactly as the hub would deliver it to a webhook listener: the same body
/// (<c>id, name, source, time, payload</c>) and Standard Webhooks headers signed with the listener's secret, so the
/// local endpoint's verification code runs unchanged.
/// </summary>
internal sealed class Forwarder(HttpClient http, Uri target, string secret, TimeProvider time)
{
    const int MaxOutputBytes = 65536;

    public async Task<Forwarded> ForwardAsync(HubEvent e, CancellationToken cancellationToken)
    {
        var body = Body(e);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", e.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Webhooks.Sign(secret, e.Id, timestamp, body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("eventhub-cli", "1.0"));
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var text = await ReadAsync(response, cancellationToken);
            return new Forwarded((int)response.StatusCode, Stopwatch.GetElapsedTime(started), text, null);
        }
        catch (HttpRequestException error)
        {
            return new Forwarded(null, Stopwatch.GetElapsedTime(started), null, $"{target} could not be reached ({error.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Forwarded(null, Stopwatch.GetElapsedTime(started), null, $"{target} did not answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    public static byte[] Body(HubEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", e.Id);
            writer.WriteString("name", e.Name);
            writer.WriteString("source", e.Source);
            writer.WriteString("time", e.Time);
            writer.WritePropertyName("payload");
            if (e.Payload.ValueKind == JsonValueKind.Undefined)
                writer.WriteNullValue();
            else
                e.Payload.WriteTo(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    static async Task<string?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxOutputBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            total += read;
        return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }
}

/// <summary>The local answer: its status (null when there was none), how long it took, its body, or why it failed.</summary>
internal sealed record Forwarded(int? Status, TimeSpan Duration, string? Body, string? Error)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The body as the transaction's output: JSON as JSON, anything else as a string.</summary>
    public object? Output()
    {
        if (Body is null)
            return null;
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Body;
        }
    }

    public string Failure => Error ?? $"the local endpoint answered {Status}" + (Body is { Length: > 0 } b ? $": {(b.Length > 500 ? b[..500] : b)}" : "");
}
