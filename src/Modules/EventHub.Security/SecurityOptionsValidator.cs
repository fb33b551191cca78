using Microsoft.Extensions.Options;

namespace EventHub.Security;

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        Check(failures, "BruteForce", options.BruteForce, 2, 10_000);
        Check(failures, "CredentialStuffing", options.CredentialStuffing, 2, 10_000);
        var longestWindow = TimeSpan.FromTicks(Math.Max(options.BruteForce.Window.Ticks, options.CredentialStuffing.Window.Ticks));
        // State younger than two windows still decides alerts (late entries are accepted up to a window late).
        if (options.StateRetention < longestWindow * 2 || options.StateRetention < TimeSpan.FromDays(1) || options.StateRetention > TimeSpan.FromDays(90))
            failures.Add($"EventHub__Security__StateRetention '{options.StateRetention}' is not valid: use 1.00:00:00 to 90.00:00:00, and at least twice the longest window");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static void Check(List<string> failures, string detection, BurstOptions options, int min, int max)
    {
        if (options.Threshold < min || options.Threshold > max)
            failures.Add($"EventHub__Security__{detection}__Threshold '{options.Threshold}' is not valid: use {min} to {max}");
        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(1))
            failures.Add($"EventHub__Security__{detection}__Window '{options.Window}' is not valid: use 00:00:01 to 1.00:00:00");
    }
}
