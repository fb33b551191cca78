using Dapper;
using EventHub.Storage.DataProtection;
using EventHub.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventHub.Storage.Tests;

/// <summary>Data Protection's key ring in the hub's database: what one copy protects, another copy on the same database unprotects.</summary>
public sealed class DatabaseKeyRingTests(PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task What_one_copy_protects_another_copy_on_the_same_database_unprotects(DatabaseProvider provider)
    {
        var options = new StorageOptions
        {
            Provider = provider,
            ConnectionString = provider == DatabaseProvider.Postgres
                ? await postgres.Cluster.CreateDatabaseAsync()
                : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-keyring-").FullName, "test.db")}",
        };
        await using var first = await CopyAsync(options);
        await using var second = await CopyAsync(options);

        var sealedText = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");

        Assert.Equal("hello", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
        await using var connection = await first.GetRequiredService<Database>().OpenAsync(Cancel);
        var rows = (await connection.QueryAsync<(string Name, string Xml)>("SELECT name, xml FROM data_protection_keys")).ToList();
        var key = Assert.Single(rows);
        Assert.StartsWith("key-", key.Name, StringComparison.Ordinal);
        Assert.Contains("<key ", key.Xml, StringComparison.Ordinal);
    }

    /// <summary>One copy of the host as far as Data Protection goes: its own services over the shared database.</summary>
    static async Task<ServiceProvider> CopyAsync(StorageOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new Database(options));
        services.AddDatabaseKeyRing();
        var provider = services.BuildServiceProvider();
        await new SchemaMigrator(provider.GetRequiredService<Database>(), [DatabaseKeyRing.V1], NullLogger<SchemaMigrator>.Instance).MigrateAsync(Cancel);
        return provider;
    }
}
