using Microsoft.Extensions.Options;

namespace EventHub.Events;

internal sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        var failures = new List<string>();
        if (options.MaxPayloadBytes is < 16 or > 64 * 1024 * 1024)
            failures.Add($"EventHub__Emit__MaxPayloadBytes '{options.MaxPayloadBytes}' is not valid: use 16 to 67108864");
        if (options.MaxRequestBytes < options.MaxPayloadBytes || options.MaxRequestBytes > 256 * 1024 * 1024)
            failures.Add($"EventHub__Emit__MaxRequestBytes '{options.MaxRequestBytes}' is not valid: use MaxPayloadBytes to 268435456");
        if (options.MaxBatchSize is < 1 or > 10_000)
            failures.Add($"EventHub__Emit__MaxBatchSize '{options.MaxBatchSize}' is not valid: use 1 to 10000");
        if (options.ConfirmTimeout <= TimeSpan.Zero || options.ConfirmTimeout > TimeSpan.FromMinutes(5))
            failures.Add($"EventHub__Emit__ConfirmTimeout '{options.ConfirmTimeout}' is not valid: use 00:00:00.1 to 00:05:00");
        if (options.RetryAfterSeconds is < 1 or > 3600)
            failures.Add($"EventHub__Emit__RetryAfterSeconds '{options.RetryAfterSeconds}' is not valid: use 1 to 3600");
        if (options.IdempotencyWindow < TimeSpan.FromMinutes(1) || options.IdempotencyWindow > TimeSpan.FromDays(30))
            failures.Add($"EventHub__Emit__IdempotencyWindow '{options.IdempotencyWindow}' is not valid: use 00:01:00 to 30.00:00:00");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
