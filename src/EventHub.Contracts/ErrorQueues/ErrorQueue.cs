namespace EventHub.Contracts.ErrorQueues;

/// <summary>An <c>_error</c> queue: how many messages it holds and the first ones.</summary>
/// <param name="Queue">The error queue's name.</param>
/// <param name="SourceQueue">The queue its messages failed in, where a replay puts them back.</param>
/// <param name="Count">Messages in it.</param>
/// <param name="Messages">The first messages.</param>
public sealed record ErrorQueue(string Queue, string SourceQueue, long Count, IReadOnlyList<ErrorMessage> Messages);

/// <summary>One message of an error queue and what MassTransit recorded when it moved it there.</summary>
/// <param name="MessageId">The message's id.</param>
/// <param name="Reason">Why it was moved (fault, skip...).</param>
/// <param name="ExceptionType">The exception's type.</param>
/// <param name="ExceptionMessage">The exception's message.</param>
/// <param name="FaultedAt">When it failed.</param>
/// <param name="ConsumerType">The consumer that failed.</param>
/// <param name="MessageType">The message's type.</param>
/// <param name="StackTrace">The exception's stack trace, cut to 4000 characters.</param>
/// <param name="Bytes">The message body's size.</param>
public sealed record ErrorMessage(
    string? MessageId, string? Reason, string? ExceptionType, string? ExceptionMessage, string? FaultedAt, string? ConsumerType, string? MessageType, string? StackTrace, int Bytes);

/// <summary>What a replay of an error queue did.</summary>
/// <param name="Queue">The error queue.</param>
/// <param name="SourceQueue">The queue the messages went back to.</param>
/// <param name="Replayed">Messages moved back.</param>
/// <param name="Remaining">Messages still in the error queue.</param>
public sealed record ErrorQueueReplay(string Queue, string SourceQueue, int Replayed, long Remaining);
