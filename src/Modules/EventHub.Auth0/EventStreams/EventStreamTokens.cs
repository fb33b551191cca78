using EventHub.Auth0.LogStream;
using Microsoft.Extensions.Options;

namespace EventHub.Auth0.EventStreams;

/// <summary>The Event Streams endpoint's own token list, checked exactly as the log stream's (hashed, fixed time, Bearer or bare).</summary>
internal sealed class EventStreamTokens(IOptions<Auth0Options> options)
{
    readonly WebhookTokens _tokens = new(options.Value.EventStreams.Tokens, options.Value.EventStreams.AllowAnonymous);

    public bool IsConfigured => _tokens.IsConfigured;

    public bool IsAuthorized(string? authorization) => _tokens.IsAuthorized(authorization);
}
