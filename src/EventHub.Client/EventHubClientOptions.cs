using System.Text.Json;

namespace EventHub.Client;

/// <summary>Where the hub is, the API key, and how the client waits, retries and reconnects.</summary>
public sealed class EventHubClientOptions
{
    /// <summary>The hub's address, e.g. <c>http://127.0.0.1:5080</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>An API key of the hub (<c>EventHub__Keys__&lt;name&gt;</c>); sent as <c>X-EventHub-Key</c>. Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The longest one call may take, retries included, before it fails with <see cref="EventHubUnavailableException"/>. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest one attempt may take before it is abandoned and retried (on a new connection: a half-open pooled
    /// connection must not eat the whole <see cref="Timeout"/>). Default 10 s; at most <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a call that failed with a connection error, a timeout, 408, 429 or 5xx. Default 3 (emits carry an Idempotency-Key, so a retry is safe).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first wait before a listener reconnects its stream; it doubles up to <see cref="MaxReconnectDelay"/>. Default 1 s.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnections. Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long disposing a subscription waits for handlers in progress to finish and acknowledge. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How payloads and handler outputs are (de)serialised. Default: <see cref="JsonSerializerDefaults.Web"/>.</summary>
    public JsonSerializerOptions JsonOptions { get; set; } = new(JsonSerializerDefaults.Web);

    internal void Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
            throw new ArgumentException("EventHubClientOptions.BaseAddress must be the hub's absolute address, e.g. http://127.0.0.1:5080.", nameof(BaseAddress));
        if (string.IsNullOrWhiteSpace(ApiKey))
            throw new ArgumentException("EventHubClientOptions.ApiKey is required: one of the hub's EventHub__Keys__<name> secrets.", nameof(ApiKey));
        if (Timeout <= TimeSpan.Zero)
            throw new ArgumentException("EventHubClientOptions.Timeout must be positive.", nameof(Timeout));
        if (AttemptTimeout <= TimeSpan.Zero)
            throw new ArgumentException("EventHubClientOptions.AttemptTimeout must be positive.", nameof(AttemptTimeout));
        if (MaxRetries is < 0 or > 10)
            throw new ArgumentException("EventHubClientOptions.MaxRetries must be from 0 to 10.", nameof(MaxRetries));
        if (ReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < ReconnectDelay)
            throw new ArgumentException("EventHubClientOptions.ReconnectDelay must be positive and at most MaxReconnectDelay.", nameof(ReconnectDelay));
    }
}
