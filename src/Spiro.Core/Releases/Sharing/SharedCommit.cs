using Spiro.Core.Names;

namespace Spiro.Core.Releases.Sharing;

/// <summary>
/// The transaction that moves the cluster's pointer can fail after PostgreSQL committed it (the
/// connection drops during COMMIT): its error then says nothing about the outcome. Before a change
/// is reported as failed, the pointer is read again on a new connection and the truth reported:
/// recorded (the change goes on: this master flips too), not recorded (the error stands), or not
/// known while the database does not answer (<see cref="SharedCommitUnknownException"/>).
/// </summary>
internal static class SharedCommit
{
    private static readonly TimeSpan[] Retries = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    /// <summary>Runs <paramref name="commit"/>; null when it succeeded, a warning when it failed but the cluster recorded it.</summary>
    /// <param name="recorded">Whether the pointer read back shows the change (a release id is unique, so naming it is proof).</param>
    /// <param name="what">The change, for the messages ("release X of foo/dev").</param>
    public static string? Run(IReleaseSharing sharing, SaltEnvName saltEnv, Action commit, Func<SharedPointer?, bool> recorded, string what)
    {
        try
        {
            commit();
            return null;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            switch (Ask(sharing, saltEnv, recorded))
            {
                case true:
                    return $"the connection to the cluster's database failed as {what} was committed ({failure.Message}); read back, the cluster recorded it";
                case false:
                    throw;
                default:
                    throw new SharedCommitUnknownException(
                        $"the connection to the cluster's database failed while committing {what} ({failure.Message}), and whether the cluster recorded it "
                        + "cannot be told while the database does not answer: if it did, every master serves it once the database answers (this one too); "
                        + "`spiro cluster status` shows which", failure);
            }
        }
    }

    private static bool? Ask(IReleaseSharing sharing, SaltEnvName saltEnv, Func<SharedPointer?, bool> recorded)
    {
        foreach (var wait in Retries)
        {
            Thread.Sleep(wait);
            try
            {
                return recorded(sharing.CurrentPointer(saltEnv));
            }
#pragma warning disable CA1031 // Any failure to read is "not known yet"; the next try or the caller's exception says the rest.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        return null;
    }
}
