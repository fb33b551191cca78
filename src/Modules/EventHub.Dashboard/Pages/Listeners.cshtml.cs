using EventHub.Contracts.Listeners;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

internal sealed class ListenersModel(IListenersReader? reader = null) : PageModel
{
    public IReadOnlyList<ListenerSummary> Listeners { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (reader is null)
            return;
        var key = User.Identity!.Name!;
        var summaries = new List<ListenerSummary>();
        foreach (var listener in await reader.ListAsync(key, cancellationToken))
            summaries.Add(await ListenerSummary.LoadAsync(reader, listener, key, 100, cancellationToken));
        Listeners = summaries;
    }
}
