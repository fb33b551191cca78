using EventHub.Access;
using EventHub.Storage.PersonalData;
using Microsoft.AspNetCore.Mvc;

namespace EventHub.Host.Hosting;

/// <summary>
/// <c>DELETE /v1/personal-data?user_id=</c> (admin): runs every module's <see cref="IPersonalDataEraser"/> and answers
/// what each removed. The user id is not logged: it is the personal data being removed.
/// </summary>
internal static class PersonalDataEndpoint
{
    const int MaxUserIdLength = 255;

    public static IEndpointRouteBuilder MapPersonalDataEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/v1/personal-data", EraseAsync)
            .WithTags("Personal data")
            .WithName("ErasePersonalData")
            .WithSummary("Remove a user's entries from the event log, delivery records and detection state")
            .WithDescription("user_id: the Auth0 user id (auth0|...). Every stored row holding it as a JSON string is removed; the answer counts them per store. Events still waiting in broker queues are not reached.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization()
            .RequireScope(Scopes.Admin)
            .LimitBody();
        return app;
    }

    static async Task<IResult> EraseAsync([FromQuery(Name = "user_id")] string? userId, IEnumerable<IPersonalDataEraser> erasers, ILogger<PersonalDataMatch> logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > MaxUserIdLength || userId.Any(char.IsControl))
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["user_id"] = [$"is required: the user's id as Auth0 gives it (auth0|...), at most {MaxUserIdLength} characters"] },
                title: "Invalid request",
                detail: "user_id is required: the user's id as Auth0 gives it.",
                extensions: new Dictionary<string, object?> { ["field"] = "user_id" });
        }

        var match = new PersonalDataMatch(userId);
        var removed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var eraser in erasers)
            removed[eraser.Name] = await eraser.EraseAsync(match, cancellationToken);
        logger.LogInformation("Personal data of one user erased: {Removed}", string.Join(", ", removed.Select(r => $"{r.Value} {r.Key}")));
        return Results.Ok(new { removed });
    }
}
