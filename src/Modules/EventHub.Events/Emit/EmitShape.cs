namespace EventHub.Events.Emit;

/// <summary>Which body an emit request has: the hub's own (<c>POST /v1/events</c>) or Buildable's (<c>POST /emit</c>).</summary>
internal enum EmitShape
{
    /// <summary><c>{name, payload, id?, time?}</c>, an array of them, or CloudEvents by Content-Type.</summary>
    Hub,

    /// <summary><c>{event, payload, id?, time?}</c> or an array of them, whatever the Content-Type: existing Buildable senders.</summary>
    Buildable,
}
