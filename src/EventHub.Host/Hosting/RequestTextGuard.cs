using System.Text;

namespace EventHub.Host.Hosting;

/// <summary>
/// A request's path and query values are decoded text that reaches the database and the logs as ids, names, patterns
/// and cursors. None of the hub's is ever a control character or half a surrogate pair, and PostgreSQL refuses a NUL in
/// text, so such a request is answered 400 naming the parameter here, once, before any endpoint sees it.
/// </summary>
internal static class RequestTextGuard
{
    public static IApplicationBuilder UseRequestTextGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Refused(context.Request) is { } field)
        {
            await Results.ValidationProblem(
                new Dictionary<string, string[]> { [field] = ["must not contain control characters or invalid UTF-16"] },
                title: "Invalid request",
                extensions: new Dictionary<string, object?> { ["field"] = field }).ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    static string? Refused(HttpRequest request)
    {
        if (!IsText(request.Path.Value))
            return "path";
        foreach (var (key, values) in request.Query)
        {
            if (!IsText(key))
                return "query";
            foreach (var value in values)
            {
                if (!IsText(value))
                    return key;
            }
        }

        return null;
    }

    /// <summary>True for text without control characters whose surrogates all come in pairs.</summary>
    public static bool IsText(string? text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || Rune.IsControl(rune))
                return false;
            rest = rest[consumed..];
        }

        return true;
    }
}
