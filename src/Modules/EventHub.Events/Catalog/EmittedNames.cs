using Dapper;
using EventHub.Storage;

namespace EventHub.Events.Catalog;

/// <summary>The names applications have emitted, from the event log: how often, first and last seen, recent payloads.</summary>
internal sealed class EmittedNames(Database database)
{
    const int MaxNames = 500;
    const int Samples = 20;

    public async Task<IReadOnlyList<EmittedName>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Names the hub itself produces (Auth0, alerts, listener health) are in the catalog already, with their contracts.
        var names = (await connection.QueryAsync<EmittedName>(new CommandDefinition(
            """
            SELECT name, COUNT(*) AS Count, MIN(received_at) AS FirstSeen, MAX(received_at) AS LastSeen FROM events
            WHERE name NOT LIKE 'auth0.%' AND name NOT LIKE 'security.%' AND name NOT LIKE 'listener.%'
            GROUP BY name ORDER BY name LIMIT @MaxNames
            """, new { MaxNames }, cancellationToken: cancellationToken))).ToList();
        foreach (var name in names)
        {
            name.Samples = [.. await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT payload FROM events WHERE name = @Name ORDER BY seq DESC LIMIT @Samples", new { name.Name, Samples }, cancellationToken: cancellationToken))];
        }

        return names;
    }
}

internal sealed class EmittedName
{
    public string Name { get; init; } = "";

    public long Count { get; init; }

    public long FirstSeen { get; init; }

    public long LastSeen { get; init; }

    public IReadOnlyList<string> Samples { get; set; } = [];
}
