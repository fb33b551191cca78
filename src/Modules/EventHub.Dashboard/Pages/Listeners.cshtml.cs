using EventHub.Dashboard.Access;
using EventHub.Dashboard.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

internal sealed class ListenersModel(HubApi api) : PageModel
{
    public IReadOnlyList<ListenerSummary> Listeners { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var key = User.ApiKey()!;
        var listeners = await api.ListenersAsync(key, cancellationToken);
        Listeners = await Task.WhenAll(listeners.Select(l => ListenerSummary.LoadAsync(api, l!, key, 100, cancellationToken)));
    }
}
