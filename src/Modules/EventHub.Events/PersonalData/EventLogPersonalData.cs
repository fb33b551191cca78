using Dapper;
using EventHub.Storage;
using EventHub.Storage.PersonalData;

namespace EventHub.Events.PersonalData;

/// <summary>Events in the log that hold the user (their Auth0 entries, alerts about them) are deleted.</summary>
internal sealed class EventLogPersonalData(Database database) : IPersonalDataEraser
{
    public string Name => "events";

    public async Task<int> EraseAsync(PersonalDataMatch match, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM events WHERE payload LIKE @pattern ESCAPE '\\'", new { pattern = match.Pattern }, cancellationToken: cancellationToken));
    }
}
