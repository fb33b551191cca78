using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Storage.DataProtection;

/// <summary>
/// ASP.NET Data Protection's key ring (what signs and encrypts the dashboard's cookie and antiforgery tokens) kept in the
/// hub's database, so every copy of the host reads the same keys and accepts what any other copy issued (docs/adr/0018).
/// </summary>
public static class DatabaseKeyRing
{
    /// <summary>
    /// The purpose strings of every protector are scoped to this name instead of the content root (the default), which
    /// differs between copies installed in different folders.
    /// </summary>
    public const string ApplicationName = "EventHub";

    public static readonly SchemaMigration V1 = new(
        "data-protection",
        1,
        Sqlite: "CREATE TABLE data_protection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL);",
        Postgres: "CREATE TABLE data_protection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL);");

    public static IServiceCollection AddDatabaseKeyRing(this IServiceCollection services)
    {
        services.AddSingleton(V1);
        services.AddSingleton<KeyRingStore>();
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<KeyRingStore>((options, store) => options.XmlRepository = store);
        return services;
    }

    /// <summary>
    /// The keys as rows, one per element the key manager stores (a key, or a revocation). The interface is synchronous;
    /// it is called when the ring is first read and then about once a day, so blocking on the database here is rare.
    /// Keys are stored as Data Protection writes them, unencrypted: whoever can read this table can read the whole
    /// event log too, so encrypting them with a secret kept beside the database would protect nothing more.
    /// </summary>
    internal sealed class KeyRingStore(Database database) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY name").Select(xml => XElement.Parse(xml))];
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            connection.Execute(
                "INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO UPDATE SET xml = excluded.xml",
                new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
        }
    }
}
