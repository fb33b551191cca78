namespace EventHub.Contracts.Auth0;

/// <summary>
/// The backfill's state as other modules read it, in process: implemented by the Auth0 module, which owns the backfill
/// (absent when that module is off).
/// </summary>
public interface IBackfillStatusReader
{
    /// <summary>The backfill's mode, checkpoint and current or last run.</summary>
    Task<BackfillStatus> ReadAsync(CancellationToken cancellationToken);
}
