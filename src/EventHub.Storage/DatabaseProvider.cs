namespace EventHub.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
