using EventHub.Access;
using EventHub.Contracts.Auth0;
using EventHub.Dashboard.Auth0;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

internal sealed class Auth0Model(Auth0Activity activity, TimeProvider time, IBackfillStatusReader? backfill = null) : PageModel
{
    public Auth0Snapshot Snapshot { get; private set; } = null!;

    public BackfillCard Backfill { get; private set; } = BackfillCard.NotShown;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Snapshot = activity.Snapshot();
        Backfill = await BackfillCard.ReadAsync(backfill, HttpContext.Caller()!, cancellationToken);
    }
}
