using System.Security.Cryptography;
using System.Text;
using Dapper;
using EventHub.Storage;

namespace EventHub.Listeners.Redaction;

/// <summary>
/// The hub's key for <c>hash</c> redaction: 32 random bytes made by whichever copy needs it first and kept in the
/// database, so every copy hashes a value alike and a restart changes nothing. Never shown: without it a token cannot be
/// tested against guessed emails.
/// </summary>
internal sealed class RedactionKey(Database database)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    byte[]? _key;

    public async Task<Func<string, string>> HasherAsync(CancellationToken cancellationToken)
    {
        var key = _key ?? await LoadAsync(cancellationToken);
        return text => "hmac:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)), 0, 16);
    }

    async Task<byte[]> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_key is not null)
                return _key;
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hub_keys (name, value) VALUES ('redaction', @value) ON CONFLICT (name) DO NOTHING",
                new { value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, cancellationToken: cancellationToken));
            var stored = await connection.QuerySingleAsync<string>(new CommandDefinition("SELECT value FROM hub_keys WHERE name = 'redaction'", cancellationToken: cancellationToken));
            return _key = Convert.FromBase64String(stored);
        }
        finally
        {
            _gate.Release();
        }
    }
}
