namespace EventHub.Host.Hosting;

/// <summary>
/// A request whose client went away mid-way (a sender's own timeout, a closed tab) ends in an
/// <see cref="OperationCanceledException"/> from whatever awaited its <c>RequestAborted</c> token. That is not a server
/// error: it is logged as 499, nginx's "client closed request", instead of a 500 with a stack trace.
/// </summary>
internal static class ClientAbort
{
    public const int StatusCode = 499;

    public static IApplicationBuilder UseClientAbort(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            if (!context.Response.HasStarted)
                context.Response.StatusCode = StatusCode;
        }
    });
}
