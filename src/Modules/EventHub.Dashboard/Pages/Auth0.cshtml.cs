using EventHub.Dashboard.Auth0;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

internal sealed class Auth0Model(Auth0Activity activity, TimeProvider time) : PageModel
{
    public Auth0Snapshot Snapshot { get; private set; } = null!;

    public BackfillStatus Backfill { get; private set; } = BackfillStatus.NotEnabled;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow();
        Snapshot = activity.Snapshot();
        Backfill = await BackfillStatus.CurrentAsync();
    }
}
