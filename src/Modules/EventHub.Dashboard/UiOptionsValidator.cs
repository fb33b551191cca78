using Microsoft.Extensions.Options;

namespace EventHub.Dashboard;

internal sealed class UiOptionsValidator : IValidateOptions<UiOptions>
{
    public ValidateOptionsResult Validate(string? name, UiOptions options)
    {
        var failures = new List<string>();
        if (options.SessionLifetime < TimeSpan.FromMinutes(5) || options.SessionLifetime > TimeSpan.FromDays(30))
            failures.Add($"EventHub__Ui__SessionLifetime '{options.SessionLifetime}' is not valid: use 00:05:00 to 30.00:00:00");
        if (options.MaxStreamsPerKey is < 1 or > 10_000)
            failures.Add($"EventHub__Ui__MaxStreamsPerKey '{options.MaxStreamsPerKey}' is not valid: use 1 to 10000");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
