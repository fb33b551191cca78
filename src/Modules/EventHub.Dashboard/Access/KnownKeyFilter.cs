using EventHub.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Dashboard.Access;

/// <summary>
/// A login whose key is no longer configured (removed from the settings, or a rotation's old secret dropped, and the
/// host restarted) ends: the session is signed out and goes back to the login form before any page reads for it.
/// </summary>
internal sealed class KnownKeyFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated == true && !StillValid(http))
        {
            await http.SignOutAsync(UiAccess.Scheme);
            context.Result = new RedirectResult("/ui/login");
            return;
        }

        await next();
    }

    static bool StillValid(HttpContext http) =>
        http.User.ApiKey() is { } secret && http.RequestServices.GetRequiredService<ApiKeys>().Find(secret) is { } key && key.Name == http.User.Identity?.Name;
}
