using Microsoft.Extensions.Options;

namespace EventHub.Auth0.EventStreams;

/// <summary>
/// Checks <c>EventHub__Auth0__EventStreams__*</c>. No token is not an error: the endpoint then refuses every post with
/// a 401 that names the setting, so a hub that never takes Event Streams needs no new setting.
/// </summary>
internal sealed class EventStreamsOptionsValidator : IValidateOptions<Auth0Options>
{
    public ValidateOptionsResult Validate(string? name, Auth0Options options)
    {
        var streams = options.EventStreams;
        var failures = new List<string>();
        for (var i = 0; i < streams.Tokens.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(streams.Tokens[i]))
                failures.Add($"EventHub__Auth0__EventStreams__Tokens__{i} is empty: give it the stream's bearer token or remove it");
        }

        if (streams.MaxBodyBytes is < 1024 or > 1024L * 1024 * 1024)
            failures.Add($"EventHub__Auth0__EventStreams__MaxBodyBytes '{streams.MaxBodyBytes}' is not valid: use 1024 to 1073741824");
        if (streams.MaxEvents is < 1 or > 100_000)
            failures.Add($"EventHub__Auth0__EventStreams__MaxEvents '{streams.MaxEvents}' is not valid: use 1 to 100000");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
