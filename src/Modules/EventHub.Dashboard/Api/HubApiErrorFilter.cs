using System.Net;
using EventHub.Dashboard.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Api;

/// <summary>
/// When the hub's API refuses a page's request: a key that no longer exists (removed from the settings after the login)
/// ends the session and goes back to the login form; anything else, or an API that cannot be reached, is a 502 page that
/// says so, instead of an error page with nothing to go on.
/// </summary>
internal sealed class HubApiErrorFilter(ILogger<HubApiErrorFilter> logger) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.ExceptionHandled || executed.Exception is not (HubApiException or HttpRequestException))
            return;

        executed.ExceptionHandled = true;
        if (executed.Exception is HubApiException { Status: HttpStatusCode.Unauthorized })
        {
            await context.HttpContext.SignOutAsync(UiAccess.Scheme);
            executed.Result = new RedirectResult("/ui/login");
            return;
        }

        logger.LogWarning("Dashboard page {Path}: the hub's API failed ({Error})", context.HttpContext.Request.Path, executed.Exception.Message);
        executed.Result = new ContentResult
        {
            StatusCode = StatusCodes.Status502BadGateway,
            ContentType = "text/plain; charset=utf-8",
            Content = $"The dashboard could not read from the hub's API: {executed.Exception.Message}. Check EventHub__Ui__ApiUrl and the host's log.",
        };
    }
}
