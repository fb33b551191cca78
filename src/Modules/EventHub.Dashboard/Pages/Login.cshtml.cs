using EventHub.Dashboard.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Dashboard.Pages;

internal sealed class LoginModel(UiKeys keys, IOptions<UiOptions> options, ILogger<LoginModel> logger) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? key)
    {
        var name = string.IsNullOrEmpty(key) ? null : keys.Find(key);
        if (name is null)
        {
            logger.LogWarning("Dashboard login refused: unknown API key");
            Error = "That is not a key this hub knows. Check EventHub__Keys__<name> on the host.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var admin = options.Value.AdminKeys.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
        await HttpContext.SignInAsync(UiAccess.Scheme, UiAccess.Principal(name, key!, admin));
        logger.LogInformation("Dashboard login with key {KeyName} ({Access})", name, admin ? "may replay" : "read only");
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/ui", StringComparison.Ordinal) ? ReturnUrl : "/ui");
    }
}
