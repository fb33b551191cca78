using System.Globalization;

namespace EventHub.Auth0.Backfill;

/// <summary>Auth0 log ids: what a checkpoint is made of.</summary>
internal static class LogIds
{
    const int Length = 56;

    /// <summary>
    /// A checkpoint at a point in time. Auth0's log ids are "900", the UTC time as yyyyMMddHHmmss, then digits that order
    /// entries within the second; the API orders by log id, so this id sorts before every entry logged at or after
    /// <paramref name="time"/> (the same trick Elastic's Auth0 integration uses for its look-back).
    /// </summary>
    public static string FromTime(DateTimeOffset time) =>
        ("900" + time.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)).PadRight(Length, '0');

    /// <summary>What may be sent as <c>from</c>: letters and digits only (real ones are 56 digits).</summary>
    public static bool IsValid(string text) => text.Length is > 0 and <= 128 && text.All(char.IsAsciiLetterOrDigit);
}
