using Microsoft.Extensions.Options;

namespace EventHub.Listeners;

internal sealed class ListenersOptionsValidator : IValidateOptions<ListenersOptions>
{
    public ValidateOptionsResult Validate(string? name, ListenersOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultTimeoutSeconds is < 1 or > 60)
            failures.Add($"EventHub__Listeners__DefaultTimeoutSeconds '{options.DefaultTimeoutSeconds}' is not valid: use 1 to 60");
        if (options.SyncInterval < TimeSpan.FromMilliseconds(100) || options.SyncInterval > TimeSpan.FromMinutes(5))
            failures.Add($"EventHub__Listeners__SyncInterval '{options.SyncInterval}' is not valid: use 00:00:00.1 to 00:05:00");
        if (options.RetryPollInterval < TimeSpan.FromMilliseconds(50) || options.RetryPollInterval > TimeSpan.FromMinutes(1))
            failures.Add($"EventHub__Listeners__RetryPollInterval '{options.RetryPollInterval}' is not valid: use 00:00:00.05 to 00:01:00");
        if (options.SecretRotationOverlap < TimeSpan.Zero || options.SecretRotationOverlap > TimeSpan.FromDays(30))
            failures.Add($"EventHub__Listeners__SecretRotationOverlap '{options.SecretRotationOverlap}' is not valid: use 00:00:00 to 30.00:00:00");
        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.HeartbeatInterval > TimeSpan.FromMinutes(5))
            failures.Add($"EventHub__Listeners__HeartbeatInterval '{options.HeartbeatInterval}' is not valid: use 00:00:00.1 to 00:05:00");
        if (options.PullPrefetch is < 1 or > 1000)
            failures.Add($"EventHub__Listeners__PullPrefetch '{options.PullPrefetch}' is not valid: use 1 to 1000");
        if (options.MaxStreamsPerKey is < 1 or > 10_000)
            failures.Add($"EventHub__Listeners__MaxStreamsPerKey '{options.MaxStreamsPerKey}' is not valid: use 1 to 10000");
        if (options.MaxPerKey is < 1 or > 100_000)
            failures.Add($"EventHub__Listeners__MaxPerKey '{options.MaxPerKey}' is not valid: use 1 to 100000");
        if (options.RetentionDays is < 1 or > 3650)
            failures.Add($"EventHub__Listeners__RetentionDays '{options.RetentionDays}' is not valid: use 1 to 3650");
        if (options.PauseAfter < TimeSpan.FromSeconds(1) || options.PauseAfter > TimeSpan.FromDays(365))
            failures.Add($"EventHub__Listeners__PauseAfter '{options.PauseAfter}' is not valid: use 00:00:01 to 365.00:00:00");
        if (options.PauseAfterEvents is < 1 or > 10_000_000)
            failures.Add($"EventHub__Listeners__PauseAfterEvents '{options.PauseAfterEvents}' is not valid: use 1 to 10000000");
        if (options.ReplayLease < TimeSpan.FromSeconds(1) || options.ReplayLease > TimeSpan.FromMinutes(10))
            failures.Add($"EventHub__Listeners__ReplayLease '{options.ReplayLease}' is not valid: use 00:00:01 to 00:10:00");
        if (options.MaxReplaysPerKey is < 1 or > 1000)
            failures.Add($"EventHub__Listeners__MaxReplaysPerKey '{options.MaxReplaysPerKey}' is not valid: use 1 to 1000");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
