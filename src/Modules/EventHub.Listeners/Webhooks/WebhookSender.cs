using EventHub.Listeners.Delivery;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using EventHub.Listeners.Registry;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Webhooks;

/// <summary>POSTs one event to a webhook listener with Standard Webhooks headers; never throws for what the receiver does.</summary>
internal sealed class WebhookSender(IHttpClientFactory clients, IOptions<ListenersOptions> options, TimeProvider time)
{
    public const string ClientName = "eventhub-webhooks";
    const int MaxOutputBytes = 4096;

    public async Task<SendResult> SendAsync(Listener listener, DeliveryItem item, CancellationToken cancellationToken)
    {
        var body = item.ToJson();
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, listener.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", item.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        var signature = WebhookSignature.Sign(listener.Secret, item.EventId, timestamp, body);
        if (listener.PreviousSecret is { } previous && listener.PreviousSecretUntil > time.GetUtcNow())
            signature += " " + WebhookSignature.Sign(previous, item.EventId, timestamp, body);
        request.Headers.Add("webhook-signature", signature);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("EventHub", "1.0"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(listener.TimeoutSeconds));
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var output = options.Value.StoreResponses ? await ReadOutputAsync(response, timeout.Token) : null;
            return new SendResult((int)response.StatusCode, Elapsed(started), output, null, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(null, Elapsed(started), null, $"timed out after {listener.TimeoutSeconds} s", null);
        }
        catch (HttpRequestException e)
        {
            return new SendResult(null, Elapsed(started), null, $"connection failed: {e.HttpRequestError}", null);
        }
    }

    static async Task<string?> ReadOutputAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxOutputBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            total += read;
        return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
