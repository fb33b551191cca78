using System.Data.Common;
using EventHub.Events.Emit;
using EventHub.Storage;
using EventHub.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventHub.Events.Tests;

/// <summary>
/// Idempotency claims written in batches (many emits' ids in one statement) keep their meaning: on a real SQLite file
/// and a real PostgreSQL cluster, with many emits racing for the same ids.
/// </summary>
public sealed class EmittedIdsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    public static TheoryData<string> Providers => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_give_each_id_to_exactly_one_of_many_emits_claiming_it_at_the_same_time(string provider)
    {
        var ids = await EmittedIdsOnAsync(provider);
        var now = DateTimeOffset.UtcNow;

        // 40 emits at once: each claims five shared ids and one of its own.
        var claims = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            ids.ClaimAsync([.. Enumerable.Range(0, 5).Select(s => $"shared-{s}"), $"own-{i}"], "app", now, StaleAfter, Cancel))));

        Assert.All(claims, c => Assert.Null(c.Taken));
        for (var s = 0; s < 5; s++)
            Assert.Single(claims, c => c.Claimed.Contains($"shared-{s}"));
        for (var i = 0; i < 40; i++)
            Assert.Contains($"own-{i}", claims[i].Claimed);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_answer_taken_to_the_other_source_when_two_sources_claim_one_id_at_once(string provider)
    {
        var ids = await EmittedIdsOnAsync(provider);
        var now = DateTimeOffset.UtcNow;

        var claims = await Task.WhenAll(
            Task.Run(() => ids.ClaimAsync(["contested", "mine-a"], "app-a", now, StaleAfter, Cancel)),
            Task.Run(() => ids.ClaimAsync(["contested", "mine-b"], "app-b", now, StaleAfter, Cancel)));

        var winner = Assert.Single(claims, c => c.Taken is null);
        var loser = Assert.Single(claims, c => c.Taken is not null);
        Assert.Equal("contested", loser.Taken);
        Assert.Empty(loser.Claimed);
        Assert.Contains("contested", winner.Claimed);
        // The loser's own id was released with the refusal: a retry of it alone is claimed again.
        var mine = winner.Claimed.Contains("mine-a") ? "mine-b" : "mine-a";
        var retried = await ids.ClaimAsync([mine], mine == "mine-a" ? "app-a" : "app-b", now, StaleAfter, Cancel);
        Assert.Equal([mine], retried.Claimed);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_not_claim_a_published_id_again_but_claim_a_released_or_stale_one(string provider)
    {
        var ids = await EmittedIdsOnAsync(provider);
        var now = DateTimeOffset.UtcNow;

        var first = await ids.ClaimAsync(["published", "released", "stale"], "app", now, StaleAfter, Cancel);
        Assert.Equal(3, first.Claimed.Count);
        await Task.WhenAll(ids.MarkPublishedAsync(["published"]), ids.ReleaseAsync(["released"]));

        var soon = await ids.ClaimAsync(["published", "released", "stale"], "app", now.AddSeconds(1), StaleAfter, Cancel);
        Assert.Equal(["released"], soon.Claimed);
        var later = await ids.ClaimAsync(["published", "stale"], "app", now + StaleAfter * 2, StaleAfter, Cancel);
        Assert.Equal(["stale"], later.Claimed);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_report_an_id_another_request_is_still_publishing_until_it_is_published_or_released(string provider)
    {
        var ids = await EmittedIdsOnAsync(provider);
        var now = DateTimeOffset.UtcNow;
        await ids.ClaimAsync(["first", "second"], "app", now, StaleAfter, Cancel);

        // Not durable yet: a duplicate may not be answered as if it were.
        var meanwhile = await ids.ClaimAsync(["first", "second", "new"], "app", now.AddSeconds(1), StaleAfter, Cancel);
        Assert.Equal(["new"], meanwhile.Claimed);
        Assert.Equal(["first", "second"], meanwhile.Publishing.Order(StringComparer.Ordinal));

        await Task.WhenAll(ids.MarkPublishedAsync(["first"]), ids.ReleaseAsync(["second"]));
        var afterwards = await ids.ClaimAsync(["first", "second"], "app", now.AddSeconds(2), StaleAfter, Cancel);
        Assert.Empty(afterwards.Publishing);
        Assert.Equal(["second"], afterwards.Claimed);
    }

    [Fact]
    public async Task Should_fail_every_waiting_claim_while_postgresql_is_down_and_claim_again_once_it_is_back()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var ids = await EmittedIdsAsync(DatabaseProvider.Postgres, await cluster.CreateDatabaseAsync());
        await cluster.StopServerAsync();

        var claims = Enumerable.Range(0, 10).Select(i => ids.ClaimAsync([$"down-{i}"], "app", DateTimeOffset.UtcNow, StaleAfter, Cancel)).ToList();
        foreach (var claim in claims)
            await Assert.ThrowsAnyAsync<DbException>(() => claim);

        await cluster.StartServerAsync();
        var afterwards = await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    return (await ids.ClaimAsync(["down-0"], "app", DateTimeOffset.UtcNow, StaleAfter, Cancel)).Claimed;
                }
                catch (DbException)
                {
                    return [];
                }
            },
            claimed => claimed.Count == 1,
            what: "a claim once PostgreSQL is back");
        Assert.Equal(["down-0"], afterwards);
    }

    async Task<EmittedIds> EmittedIdsOnAsync(string provider) => provider == "postgres"
        ? await EmittedIdsAsync(DatabaseProvider.Postgres, await postgres.Cluster.CreateDatabaseAsync())
        : await EmittedIdsAsync(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-claims-").FullName, "claims.db")}");

    static async Task<EmittedIds> EmittedIdsAsync(DatabaseProvider provider, string connectionString)
    {
        var database = new Database(new StorageOptions { Provider = provider, ConnectionString = connectionString });
        await new SchemaMigrator(database, [EmittedIdsSchema.V1, EmittedIdsSchema.V2], NullLogger<SchemaMigrator>.Instance).MigrateAsync(Cancel);
        return new EmittedIds(database);
    }
}
