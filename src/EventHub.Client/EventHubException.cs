using System.Net;

namespace EventHub.Client;

/// <summary>The hub refused a call, or could not be reached; <see cref="Problem"/> is the hub's problem document when it sent one.</summary>
public class EventHubException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public EventHubException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EventHubException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a problem the hub answered.</summary>
    public EventHubException(string message, HttpStatusCode? statusCode, EventHubProblem? problem, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    /// <summary>Creates an exception without a message.</summary>
    public EventHubException()
    {
    }

    /// <summary>The hub's status code; null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The hub's RFC 9457 problem document, when it sent one.</summary>
    public EventHubProblem? Problem { get; }

    /// <summary>The request field the hub named as wrong (e.g. <c>name</c>, <c>events[0]</c>), when it named one.</summary>
    public string? Field => Problem?.Field;
}

/// <summary>The request was invalid (400, 413, 422): <see cref="EventHubException.Field"/> names what was wrong.</summary>
public sealed class EventHubValidationException(string message, HttpStatusCode statusCode, EventHubProblem? problem)
    : EventHubException(message, statusCode, problem);

/// <summary>The API key was missing or not accepted (401), or lacks a scope or does not own the listener (403: <see cref="EventHubProblem.Scope"/>).</summary>
public sealed class EventHubAuthenticationException(string message, HttpStatusCode statusCode, EventHubProblem? problem)
    : EventHubException(message, statusCode, problem);

/// <summary>What the call named does not exist (404): a listener, an event.</summary>
public sealed class EventHubNotFoundException(string message, HttpStatusCode statusCode, EventHubProblem? problem)
    : EventHubException(message, statusCode, problem);

/// <summary>The hub could not be reached, did not answer in time, or answered 5xx after the retries.</summary>
public sealed class EventHubUnavailableException(string message, HttpStatusCode? statusCode, EventHubProblem? problem, Exception? innerException)
    : EventHubException(message, statusCode, problem, innerException);

/// <summary>An RFC 9457 problem document as the hub sends it.</summary>
public sealed record EventHubProblem
{
    /// <summary>A URI naming the kind of problem.</summary>
    public string? Type { get; init; }

    /// <summary>A short summary.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong, for a person.</summary>
    public string? Detail { get; init; }

    /// <summary>The first field the hub named as wrong.</summary>
    public string? Field { get; init; }

    /// <summary>On a 403, the scope the key would need (<c>emit</c>, <c>events:read</c>, <c>listeners:manage</c>, <c>replay</c>, <c>auth0:read</c>, <c>admin</c>).</summary>
    public string? Scope { get; init; }

    /// <summary>Every field named as wrong, with what is wrong with it.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
