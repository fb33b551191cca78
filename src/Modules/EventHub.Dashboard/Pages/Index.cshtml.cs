using EventHub.Contracts;
using EventHub.Dashboard.Live;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

internal sealed class IndexModel(LiveFeed feed) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    public string? NameError { get; private set; }

    public IReadOnlyList<LiveEvent> Events { get; private set; } = [];

    public bool Filtered => !string.IsNullOrEmpty(Name) || !string.IsNullOrEmpty(Source);

    public string StreamUrl => "/ui/stream" + QueryString.Create(new Dictionary<string, string?> { ["name"] = Name ?? "", ["source"] = Source ?? "" });

    public void OnGet()
    {
        TopicPattern? pattern = null;
        if (!string.IsNullOrEmpty(Name) && !TopicPattern.TryParse(Name, out pattern, out var error))
        {
            NameError = $"This pattern {error}.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Events = feed.Recent(new LiveFilter(pattern, string.IsNullOrEmpty(Source) ? null : Source), 100);
    }
}
