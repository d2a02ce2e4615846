using Spiro.Core.Names;
using Spiro.Core.Releases.History;
using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Releases.Retention;

/// <summary>Applies <see cref="RetentionPolicy"/> to one saltenv; the caller holds its lock.</summary>
internal sealed class Retainer(StoreLayout layout, ReleaseRepository repository, ReleaseRemover remover, int keep)
{
    /// <summary>Removes what the policy selects and returns the removed ids.</summary>
    public IReadOnlyList<string> Apply(SaltEnvName saltEnv)
    {
        var doomed = RetentionPolicy.SelectForRemoval(
            repository.Active(saltEnv).Select(r => new RetainedRelease(r.Id, r.Seq)),
            layout.LiveRelease(saltEnv),
            keep);
        foreach (var id in doomed)
        {
            remover.Remove(saltEnv, id);
        }

        return doomed;
    }
}
