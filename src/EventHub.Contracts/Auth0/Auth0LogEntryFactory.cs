namespace EventHub.Contracts.Auth0;

/// <summary>Builds one code's record from <paramref name="values"/> (the record's constructor, e.g. <c>static (in Auth0LogEntryValues v) =&gt; new Auth0FailedLogin(in v)</c>).</summary>
/// <param name="values">Every property of the entry; passed by reference, the record is the only allocation.</param>
public delegate Auth0LogEntry Auth0LogEntryFactory(in Auth0LogEntryValues values);
