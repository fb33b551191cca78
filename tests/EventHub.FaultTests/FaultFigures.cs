namespace EventHub.FaultTests;

/// <summary>What a fault run shows: entries sent (resends included), acknowledged by a 2xx, found in the event log and at the listener, duplicate deliveries, and lost.</summary>
internal sealed record FaultFigures(int Sent, int Acknowledged, int InEventLog, int AtListener, int Duplicates, int Lost, int BadSignatures)
{
    public override string ToString() =>
        $"sent={Sent} acknowledged={Acknowledged} found-in-event-log={InEventLog} found-at-listener={AtListener} duplicates={Duplicates} lost={Lost} bad-signatures={BadSignatures}";
}
