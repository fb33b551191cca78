using System.Globalization;
using EventHub.TestSupport;

namespace EventHub.LoadTest;

/// <summary>
/// What an attack looks like in the log stream: failed logins only (<c>f</c>, <c>fp</c>, <c>fu</c>), spread over
/// <see cref="Accounts"/> accounts and <see cref="Ips"/> IPs (documentation addresses), dated now, so every entry
/// reaches the brute-force and credential-stuffing detections and keeps their state busy. The entries are the real-mix
/// batches' (same payloads, fresh log_ids), turned into failed logins.
/// </summary>
internal static class Flood
{
    public const int Accounts = 300;
    public const int Ips = 40;
    static readonly string[] Codes = ["f", "fp", "fu"];

    public static Auth0Batches Batches(string prefix) => new(prefix)
    {
        Alter = (n, record) =>
        {
            var account = n % Accounts;
            // n / 7 walks the IPs at another pace than the accounts: each IP sees many accounts, each account many IPs.
            record.With("type", Codes[n % Codes.Length])
                .With("description", "Wrong email or password.")
                .With("user_id", $"auth0|bench-flood-{account:D3}")
                .With("user_name", $"flood.user{account:D3}@example.com")
                .With("ip", $"198.51.100.{n / 7 % Ips + 1}")
                .With("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                .With("log_id", record["log_id"]!.DeepClone());
        },
    };
}
