using Microsoft.Extensions.Options;

namespace EventHub.Host.Hosting;

/// <summary>Request rate limits (<c>EventHub__Limits__*</c>): per API key, per client IP, and dashboard logins per client IP.</summary>
internal sealed class LimitsOptions
{
    public const string Section = "EventHub:Limits";

    /// <summary>Requests one API key may make per <see cref="Window"/>, from any number of addresses.</summary>
    public int PerKey { get; init; } = 1000;

    /// <summary>Requests one client IP may make per <see cref="Window"/>, with or without a key (webhooks, dashboard, failed keys).</summary>
    public int PerIp { get; init; } = 1000;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Dashboard login attempts one client IP may make per minute: guessing keys there is slow.</summary>
    public int LoginsPerMinute { get; init; } = 10;
}

internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new List<string>();
        if (options.PerKey is < 1 or > 1_000_000)
            failures.Add($"EventHub__Limits__PerKey '{options.PerKey}' is not valid: use 1 to 1000000");
        if (options.PerIp is < 1 or > 1_000_000)
            failures.Add($"EventHub__Limits__PerIp '{options.PerIp}' is not valid: use 1 to 1000000");
        if (options.Window < TimeSpan.FromMilliseconds(100) || options.Window > TimeSpan.FromHours(1))
            failures.Add($"EventHub__Limits__Window '{options.Window}' is not valid: use 00:00:00.1 to 01:00:00");
        if (options.LoginsPerMinute is < 1 or > 10_000)
            failures.Add($"EventHub__Limits__LoginsPerMinute '{options.LoginsPerMinute}' is not valid: use 1 to 10000");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
