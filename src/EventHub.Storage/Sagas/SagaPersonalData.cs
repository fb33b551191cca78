using Dapper;
using EventHub.Storage.PersonalData;

namespace EventHub.Storage.Sagas;

/// <summary>Detection state (every saga type) that holds the user: the instance is removed; detection starts afresh for them.</summary>
internal sealed class SagaPersonalData(Database database) : IPersonalDataEraser
{
    public string Name => "detections";

    public async Task<int> EraseAsync(PersonalDataMatch match, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sagas WHERE state LIKE @pattern ESCAPE '\\'", new { pattern = match.Pattern }, cancellationToken: cancellationToken));
    }
}
