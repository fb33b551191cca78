using System.Globalization;
using System.Text;
using Dapper;
using EventHub.Storage;
using EventHub.Publishing;

namespace EventHub.Events.Emit;

/// <summary>
/// Makes an id emitted twice (retry, duplicate request, two racing requests) publish once. An emit first claims its ids
/// (<c>pending</c>), publishes what it claimed, then marks them <c>published</c>; if publishing fails it releases them.
/// A claim left pending by a process that died is taken over once it is older than the stale limit, so a crash
/// between claim and publish delays an event but never loses it.
/// An id belongs to the source that claimed it first: another source's claim of it is answered with the id as taken,
/// so a key cannot make another application's event look like a duplicate and vanish.
/// Claims and marks are written in batches (<see cref="WriteBatcher{TItem, TResult}"/>): the ids of every emit waiting at
/// that moment in one statement, not a round trip per id (issue 20). Only ids already in the table (a retry, a duplicate)
/// take the per-id path that reads the owner and takes over a stale claim.
/// </summary>
internal sealed class EmittedIds
{
    // Three parameters a row: within SQLite's 32,766 and PostgreSQL's 65,535, and a whole emit (at most 1,000 events) fits.
    const int MaxRowsPerWrite = 1000;

    readonly Database _database;
    readonly WriteBatcher<ClaimRequest, HashSet<string>> _claims;
    readonly WriteBatcher<IReadOnlyCollection<string>, bool> _marks;

    public EmittedIds(Database database)
    {
        _database = database;
        _claims = new(InsertClaimsAsync, claim => claim.Ids.Count, MaxRowsPerWrite);
        _marks = new(MarkAllPublishedAsync, ids => ids.Count, MaxRowsPerWrite);
    }

    /// <summary>
    /// Claims what is free; <c>Taken</c> names an id another source owns; <c>Publishing</c> holds this source's ids another
    /// request claimed and has not published yet (neither released nor stale): not yet durable, so not yet an answer.
    /// </summary>
    public async Task<(HashSet<string> Claimed, string? Taken, HashSet<string> Publishing)> ClaimAsync(IReadOnlyCollection<string> ids, string source, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return ([], null, []);

        var nowMicros = UnixMicros.From(now);
        var claimed = await _claims.WriteAsync(new ClaimRequest(ids, source, nowMicros));
        if (claimed.Count == ids.Count)
            return (claimed, null, []);

        var staleBefore = UnixMicros.From(now - staleAfter);
        await using var connection = await _database.OpenAsync(cancellationToken);
        var publishing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids.Where(id => !claimed.Contains(id)))
        {
            var row = await connection.QuerySingleOrDefaultAsync<IdRow>(new CommandDefinition(
                "SELECT source, state FROM emitted_ids WHERE id = @id", new { id }, cancellationToken: cancellationToken));
            // Rows claimed before sources were recorded have none and stay anyone's.
            if (row?.Source is { } owner && owner != source)
            {
                await ReleaseAsync(claimed);
                return ([], id, []);
            }

            var takenOver = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE emitted_ids SET claimed_at = @now WHERE id = @id AND state = 'pending' AND claimed_at < @staleBefore",
                new { id, now = nowMicros, staleBefore }, cancellationToken: cancellationToken));
            if (takenOver == 1)
                claimed.Add(id);
            else if (row?.State != "published")
                publishing.Add(id);
        }

        return (claimed, null, publishing);
    }

    public Task MarkPublishedAsync(IReadOnlyCollection<string> ids) => ids.Count == 0 ? Task.CompletedTask : _marks.WriteAsync(ids);

    /// <summary>One <c>INSERT ... ON CONFLICT DO NOTHING RETURNING id</c> for every waiting claim; each gets back the ids it inserted.</summary>
    async Task<IReadOnlyList<HashSet<string>>> InsertClaimsAsync(IReadOnlyList<ClaimRequest> requests)
    {
        var sql = new StringBuilder("INSERT INTO emitted_ids (id, state, claimed_at, source) VALUES ");
        var parameters = new DynamicParameters();
        // An id two waiting emits both claim goes to the first; the second finds it claimed, as if it had come after.
        var claimant = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < requests.Count; r++)
        {
            foreach (var id in requests[r].Ids)
            {
                if (!claimant.TryAdd(id, r))
                    continue;
                var n = claimant.Count - 1;
                sql.Append(n == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@i{n}, 'pending', @t{n}, @s{n})");
                parameters.Add($"i{n}", id);
                parameters.Add($"t{n}", requests[r].NowMicros);
                parameters.Add($"s{n}", requests[r].Source);
            }
        }

        sql.Append(" ON CONFLICT (id) DO NOTHING RETURNING id");
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        var results = requests.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToList();
        foreach (var id in await connection.QueryAsync<string>(sql.ToString(), parameters))
            results[claimant[id]].Add(id);
        return results;
    }

    async Task<IReadOnlyList<bool>> MarkAllPublishedAsync(IReadOnlyList<IReadOnlyCollection<string>> marks)
    {
        var parameters = new DynamicParameters();
        var names = new List<string>();
        foreach (var id in marks.SelectMany(ids => ids))
        {
            names.Add("@p" + names.Count);
            parameters.Add(names[^1][1..], id);
        }

        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync($"UPDATE emitted_ids SET state = 'published' WHERE id IN ({string.Join(", ", names)})", parameters);
        return [.. marks.Select(_ => true)];
    }

    public async Task ReleaseAsync(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0)
            return;
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM emitted_ids WHERE id = @id AND state = 'pending'", ids.Select(id => new { id })));
    }

    public async Task<int> ForgetOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM emitted_ids WHERE claimed_at < @before", new { before = UnixMicros.From(before) }, cancellationToken: cancellationToken));
    }

    sealed record ClaimRequest(IReadOnlyCollection<string> Ids, string Source, long NowMicros);

    sealed class IdRow
    {
        public string? Source { get; init; }

        public string State { get; init; } = "";
    }
}
