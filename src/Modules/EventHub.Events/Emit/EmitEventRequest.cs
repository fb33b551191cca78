using System.Text.Json;

namespace EventHub.Events.Emit;

/// <summary>The shape of one event in an emit body, for the OpenAPI document (the endpoint reads the raw body itself).</summary>
internal sealed record EmitEventRequest(string Name, JsonElement Payload, string? Id, DateTimeOffset? Time);
