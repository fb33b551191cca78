using System.Data.Common;

namespace EventHub.Storage.Startup;

/// <summary>
/// The schema is not in place yet (the database has not answered since this copy started). A transient
/// <see cref="DbException"/>, so code that already treats an unreachable database as "later" does the same here.
/// </summary>
public sealed class DatabaseUnavailableException(string message) : DbException(message)
{
    public override bool IsTransient => true;
}
