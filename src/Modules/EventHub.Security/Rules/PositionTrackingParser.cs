using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EventHub.Security.Rules;

/// <summary>Remembers the line of the last event parsed, for errors YamlDotNet raises without a position.</summary>
internal sealed class PositionTrackingParser(IParser inner) : IParser
{
    public ParsingEvent? Current => inner.Current;

    public long LastLine { get; private set; } = 1;

    public bool MoveNext()
    {
        if (inner.Current is { } current)
            LastLine = current.End.Line;
        return inner.MoveNext();
    }
}
