namespace EventHub.Security.Detection;

/// <summary>At least <see cref="Threshold"/> distinct subjects within <see cref="Window"/> (last date minus first date, inclusive).</summary>
internal sealed record BurstRule(int Threshold, TimeSpan Window);
