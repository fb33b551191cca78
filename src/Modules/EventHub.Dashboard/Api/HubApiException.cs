using System.Net;

namespace EventHub.Dashboard.Api;

/// <summary>The hub's API refused a request the dashboard made for someone (their key was removed, a bad id...).</summary>
internal sealed class HubApiException(HttpStatusCode status, string? detail)
    : Exception($"The hub's API answered {(int)status}{(detail is null ? "" : ": " + detail)}")
{
    public HttpStatusCode Status { get; } = status;
}
