using Dapper;
using EventHub.Storage;

namespace EventHub.Events.Emit;

/// <summary>
/// Makes an id emitted twice (retry, duplicate request, two racing requests) publish once. An emit first claims its ids
/// (<c>pending</c>), publishes what it claimed, then marks them <c>published</c>; if publishing fails it releases them.
/// A claim left pending by a process that died is taken over once it is older than the stale limit, so a crash
/// between claim and publish delays an event but never loses it. Statements run once per id (Dapper executes a
/// command per element) rather than with <c>IN @ids</c>, which Dapper expands on SQLite but not on Npgsql.
/// An id belongs to the source that claimed it first: another source's claim of it is answered with the id as taken,
/// so a key cannot make another application's event look like a duplicate and vanish.
/// </summary>
internal sealed class EmittedIds(Database database)
{
    public async Task<(HashSet<string> Claimed, string? Taken)> ClaimAsync(IReadOnlyCollection<string> ids, string source, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0)
            return (claimed, null);

        var nowMicros = UnixMicros.From(now);
        var staleBefore = UnixMicros.From(now - staleAfter);
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var id in ids)
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO emitted_ids (id, state, claimed_at, source) VALUES (@id, 'pending', @now, @source) ON CONFLICT (id) DO NOTHING",
                new { id, now = nowMicros, source }, cancellationToken: cancellationToken));
            if (inserted == 0)
            {
                var owner = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "SELECT source FROM emitted_ids WHERE id = @id", new { id }, cancellationToken: cancellationToken));
                // Rows claimed before sources were recorded have none and stay anyone's.
                if (owner is not null && owner != source)
                {
                    await ReleaseAsync(claimed);
                    return ([], id);
                }

                inserted = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE emitted_ids SET claimed_at = @now WHERE id = @id AND state = 'pending' AND claimed_at < @staleBefore",
                    new { id, now = nowMicros, staleBefore }, cancellationToken: cancellationToken));
            }

            if (inserted == 1)
                claimed.Add(id);
        }

        return (claimed, null);
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE emitted_ids SET state = 'published' WHERE id = @id", ids.Select(id => new { id }), cancellationToken: cancellationToken));
    }

    public async Task ReleaseAsync(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0)
            return;
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM emitted_ids WHERE id = @id AND state = 'pending'", ids.Select(id => new { id })));
    }

    public async Task<int> ForgetOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM emitted_ids WHERE claimed_at < @before", new { before = UnixMicros.From(before) }, cancellationToken: cancellationToken));
    }

}
