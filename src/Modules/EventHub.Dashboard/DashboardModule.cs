using EventHub.Access;
using EventHub.Composition.Switches;
using EventHub.Dashboard.Access;
using EventHub.Dashboard.Auth0;
using EventHub.Dashboard.Live;
using MassTransit;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventHub.Dashboard;

/// <summary>The operator's dashboard under <c>/ui</c>: Razor Pages rendered by the host, assets embedded in this assembly (docs/adr/0010).</summary>
public static class DashboardModule
{
    public static IHostApplicationBuilder AddDashboardModule(this IHostApplicationBuilder builder)
    {
        if (!HubSwitches.Of(builder).Dashboard)
            return builder;

        var services = builder.Services;
        services.AddOptions<UiOptions>().BindConfiguration(UiOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UiOptions>, UiOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LiveFeed>();
        services.AddKeyedSingleton(StreamEndpoint.Cap, new ConnectionCap("EventHub:Ui:MaxStreamsPerKey"));
        services.AddSingleton<LiveFeedBinding>();
        services.AddSingleton<Auth0Activity>();
        services.AddHostedService<Auth0ActivityStart>();

        services.AddAuthentication().AddCookie(UiAccess.Scheme, cookie =>
        {
            cookie.Cookie.Name = UiAccess.CookieName;
            cookie.Cookie.Path = "/ui";
            cookie.Cookie.HttpOnly = true;
            // Strict: no other site can make the browser send it, a second line behind the antiforgery tokens.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            // Secure on HTTPS, which behind a TLS-terminating proxy the host knows only from a trusted proxy's
            // X-Forwarded-Proto (EventHub__ForwardedHeaders__KnownProxies__N).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/ui/login";
            cookie.LogoutPath = "/ui/logout";
            cookie.AccessDeniedPath = "/ui/login";
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = UiAccess.ValidateAsync;
            cookie.Events.OnRedirectToLogin = context => Refuse(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Refuse(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
        });
        services.AddOptions<CookieAuthenticationOptions>(UiAccess.Scheme).Configure<IOptions<UiOptions>>((cookie, ui) => cookie.ExpireTimeSpan = ui.Value.SessionLifetime);
        services.AddAuthorizationBuilder().AddPolicy(UiAccess.ViewPolicy, policy => policy.AddAuthenticationSchemes(UiAccess.Scheme).RequireAuthenticatedUser());
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/", UiAccess.ViewPolicy);
            pages.Conventions.AllowAnonymousToPage("/Login");
            pages.Conventions.ConfigureFilter(new SecurityHeadersFilter());
        }).AddApplicationPart(typeof(DashboardModule).Assembly);
        return builder;
    }

    /// <summary>The live feed's consumer, when the dashboard is on, connected only while a page watches (<see cref="LiveFeedBinding"/>).</summary>
    public static void ConfigureConsumers(IBusRegistrationConfigurator configurator, HubSwitches switches)
    {
        if (switches.Dashboard)
            configurator.AddConsumer<LiveFeedConsumer, LiveFeedConsumerDefinition>().ExcludeFromConfigureEndpoints();
    }

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<HubSwitches>().Dashboard)
            return app;

        app.MapRazorPages();
        var ui = app.MapGroup("/ui").ExcludeFromDescription();
        ui.MapGet("/assets/{file}", AssetEndpoint.Handle).AllowAnonymous();
        ui.MapGet("/stream", StreamEndpoint.HandleAsync).RequireAuthorization(UiAccess.ViewPolicy);
        return app;
    }

    /// <summary>A page asked for in the browser goes to the login form; a script's request (JSON, the event stream) gets the status.</summary>
    static Task Refuse(HttpContext context, string redirectUri, int status)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Contains("application/json", StringComparison.Ordinal) || accept.Contains("text/event-stream", StringComparison.Ordinal))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}
