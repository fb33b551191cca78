using EventHub.Dashboard.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

internal sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/ui");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(UiAccess.Scheme);
        return Redirect("/ui/login");
    }
}
