using Dapper;
using EventHub.Storage;
using EventHub.Storage.PersonalData;

namespace EventHub.Listeners.PersonalData;

/// <summary>Delivery records whose event (or stored output) holds the user are deleted with their attempts, whatever their state.</summary>
internal sealed class DeliveryPersonalData(Database database) : IPersonalDataEraser
{
    public string Name => "deliveries";

    public async Task<int> EraseAsync(PersonalDataMatch match, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        const string Holds = "(payload LIKE @pattern ESCAPE '\\' OR output LIKE @pattern ESCAPE '\\')";
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM delivery_attempts WHERE EXISTS (SELECT 1 FROM deliveries
                WHERE deliveries.listener_id = delivery_attempts.listener_id AND deliveries.event_id = delivery_attempts.event_id AND {Holds})
            """,
            new { pattern = match.Pattern }, transaction, cancellationToken: cancellationToken));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM deliveries WHERE {Holds}", new { pattern = match.Pattern }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
