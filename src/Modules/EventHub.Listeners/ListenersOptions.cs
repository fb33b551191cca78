namespace EventHub.Listeners;

internal sealed class ListenersOptions
{
    public const string Section = "EventHub:Listeners";

    /// <summary>Allow webhook URLs on loopback, private and link-local addresses. Off by default: a listener must not be a way into the hub's network.</summary>
    public bool AllowPrivateTargets { get; init; }

    public int DefaultTimeoutSeconds { get; init; } = 15;

    /// <summary>After a listener's secret is changed, deliveries carry signatures with both secrets for this long.</summary>
    public TimeSpan SecretRotationOverlap { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often each copy re-reads the registry, so a listener added or removed on another copy starts or stops here.</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often due retries are looked for.</summary>
    public TimeSpan RetryPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a pull stream sends a comment line when it has nothing else to send, so proxies keep it open and clients notice a dead one.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A listener whose deliveries have failed without a success for this long is paused (its events wait in its queue).</summary>
    public TimeSpan PauseAfter { get; init; } = TimeSpan.FromDays(3);

    /// <summary>A listener whose deliveries have failed for this many events in a row is paused.</summary>
    public int PauseAfterEvents { get; init; } = 1000;

    /// <summary>Events a copy takes from a pull listener's queue ahead of acknowledgements (prefetch and concurrency of its endpoint).</summary>
    public int PullPrefetch { get; init; } = 32;

    /// <summary>Keep what webhook receivers answer (the first 4 KB) in the transactions. Off by default: a receiver's answer may hold personal data the hub has no need to keep.</summary>
    public bool StoreResponses { get; init; }

    /// <summary>Listeners one key may own; an admin key is not bounded.</summary>
    public int MaxPerKey { get; init; } = 100;

    /// <summary>Pull streams one key may hold open at once on one copy, admin keys too (a leak of connections is one either way).</summary>
    public int MaxStreamsPerKey { get; init; } = 50;

    /// <summary>Settled delivery records (and their attempts) last updated longer ago than this are deleted.</summary>
    public int RetentionDays { get; init; } = 30;

    /// <summary>How long a copy holds a replay job without renewing it; a copy that dies leaves its jobs to another after this.</summary>
    public TimeSpan ReplayLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Replay jobs one key may have running at once.</summary>
    public int MaxReplaysPerKey { get; init; } = 5;
}
