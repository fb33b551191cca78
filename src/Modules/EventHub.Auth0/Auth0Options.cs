using EventHub.Auth0.EventStreams;

namespace EventHub.Auth0;

internal sealed class Auth0Options
{
    public const string Section = "EventHub:Auth0";

    /// <summary>Tokens Auth0 may send in <c>Authorization</c>; several at once so a token can be rotated without downtime.</summary>
    public List<string> Tokens { get; init; } = [];

    public bool AllowAnonymous { get; init; }

    /// <summary>Largest accepted body, checked on the compressed and on the decompressed size.</summary>
    public long MaxBodyBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Most records in one request: Auth0 sends batches of about a hundred, a body of millions of <c>{}</c> is an attack.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>How long a batch may wait for the broker's confirms before the hub answers 503 and Auth0 resends.</summary>
    public TimeSpan ConfirmTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sent in <c>Retry-After</c> with a 503.</summary>
    public int RetryAfterSeconds { get; init; } = 10;

    /// <summary><c>EventHub:Auth0:EventStreams</c>: the Event Streams (CloudEvents) endpoint's own settings.</summary>
    public EventStreamsOptions EventStreams { get; init; } = new();

    /// <summary>The tenant's host name (<c>example.eu.auth0.com</c>), for the Management API; see <see cref="Backfill"/>.</summary>
    public string? Domain { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public Backfill.BackfillOptions Backfill { get; init; } = new();
}
