using System.Globalization;

namespace EventHub.Dashboard.Pages;

/// <summary>The points of a small SVG line over values, scaled to the box; a description for screen readers says the same in words.</summary>
internal static class Sparkline
{
    public const int Width = 120;
    public const int Height = 28;

    public static string Points(IReadOnlyList<long> values)
    {
        if (values.Count == 0)
            return "";
        if (values.Count == 1)
            values = [values[0], values[0]];
        var max = Math.Max(1, values.Max());
        var step = values.Count == 1 ? 0 : (double)(Width - 2) / (values.Count - 1);
        return string.Join(' ', values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{1 + i * step:0.#},{Height - 2 - (double)v / max * (Height - 4):0.#}")));
    }

    public static string Describe(IReadOnlyList<long> values, string unit) =>
        values.Count == 0
            ? "no attempts yet"
            : $"last {values.Count}: min {values.Min()} {unit}, median {values.Order().ElementAt(values.Count / 2)} {unit}, max {values.Max()} {unit}, latest {values[^1]} {unit}";
}
