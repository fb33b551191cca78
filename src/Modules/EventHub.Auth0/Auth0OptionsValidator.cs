using EventHub.Composition.Switches;
using Microsoft.Extensions.Options;

namespace EventHub.Auth0;

internal sealed class Auth0OptionsValidator(HubSwitches switches) : IValidateOptions<Auth0Options>
{
    public ValidateOptionsResult Validate(string? name, Auth0Options options)
    {
        var failures = new List<string>();
        if (options.Tokens.Count == 0 && !options.AllowAnonymous)
            failures.Add("EventHub__Auth0__Tokens__0 is required: set the token your Auth0 Log Stream sends in Authorization (several, __0, __1, ..., during rotation), or set EventHub__Auth0__AllowAnonymous=true to accept unauthenticated posts");
        if (options.Tokens.Any(string.IsNullOrWhiteSpace))
            failures.Add("EventHub__Auth0__Tokens must not contain empty tokens");
        if (options.MaxBodyBytes is < 1024 or > 1024L * 1024 * 1024)
            failures.Add($"EventHub__Auth0__MaxBodyBytes '{options.MaxBodyBytes}' is not valid: use 1024 to 1073741824");
        if (options.MaxEntries is < 1 or > 1_000_000)
            failures.Add($"EventHub__Auth0__MaxEntries '{options.MaxEntries}' is not valid: use 1 to 1000000");
        if (options.ConfirmTimeout <= TimeSpan.Zero || options.ConfirmTimeout > TimeSpan.FromMinutes(5))
            failures.Add($"EventHub__Auth0__ConfirmTimeout '{options.ConfirmTimeout}' is not valid: use a time span from 00:00:00.1 to 00:05:00");
        if (options.RetryAfterSeconds is < 1 or > 3600)
            failures.Add($"EventHub__Auth0__RetryAfterSeconds '{options.RetryAfterSeconds}' is not valid: use 1 to 3600");
        failures.AddRange(Backfill.BackfillOptionsValidator.Validate(options, switches.Backfill));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
