using Microsoft.AspNetCore.Mvc.Filters;

namespace EventHub.Dashboard;

/// <summary>
/// Every page forbids scripts, styles and frames from anywhere but the hub itself: the pages have no inline script or
/// style, so an injected one would not run, and no other site may frame them (clickjacking the replay button).
/// </summary>
internal sealed class SecurityHeadersFilter : IAsyncPageFilter
{
    const string Policy = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        // Both, and Pragma: what antiforgery sets on pages with a form; setting less makes it log a warning per page.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        return next();
    }
}
