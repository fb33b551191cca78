using Microsoft.Extensions.Options;

namespace EventHub.Events.Retention;

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        if (options.Days is < 1 or > 3650)
            failures.Add($"EventHub__Retention__Days '{options.Days}' is not valid: use 1 to 3650");
        if (options.Interval < TimeSpan.FromSeconds(1) || options.Interval > TimeSpan.FromDays(1))
            failures.Add($"EventHub__Retention__Interval '{options.Interval}' is not valid: use 00:00:01 to 1.00:00:00");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
