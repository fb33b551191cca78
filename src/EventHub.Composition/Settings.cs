using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventHub.Composition;

/// <summary>
/// Reads settings the composition itself depends on (which transport, which database), before options exist.
/// A bad value becomes an <see cref="OptionsValidationException"/> whose one line names the setting as an
/// environment variable and the values allowed; the host prints that line and exits non-zero.
/// </summary>
public static class Settings
{
    public static TEnum ReadEnum<TEnum>(IConfiguration configuration, string key, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return defaultValue;
        if (Enum.TryParse<TEnum>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
            return parsed;
        throw Invalid(key, $"'{value}' is not valid: use {string.Join(" or ", Enum.GetNames<TEnum>())}");
    }

    public static bool ReadBool(IConfiguration configuration, string key, bool defaultValue)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return defaultValue;
        return bool.TryParse(value, out var parsed) ? parsed : throw Invalid(key, $"'{value}' is not valid: use true or false");
    }

    public static OptionsValidationException Invalid(string key, string problem) =>
        new(key, typeof(Settings), [$"{EnvironmentName(key)} {problem}."]);

    /// <summary><c>EventHub:RabbitMq:Host</c> → <c>EventHub__RabbitMq__Host</c>, the form operators set.</summary>
    public static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
