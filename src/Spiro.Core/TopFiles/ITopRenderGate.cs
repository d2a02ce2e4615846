using Spiro.Core.Names;

namespace Spiro.Core.TopFiles;

/// <summary>
/// The render gate (docs/security.md): a release whose top file uses Jinja can only be checked by
/// rendering it on the minions. The store calls the gate after the release is in place and before
/// the flip, so a top that fails to render never goes live (it would empty every minion's
/// <c>state.show_top</c>).
/// </summary>
public interface ITopRenderGate
{
    /// <summary>Renders release <paramref name="releaseId"/>'s top file, going to <paramref name="saltEnv"/>, on every minion.</summary>
    Task<TopRenderVerdict> CheckAsync(SaltEnvName saltEnv, string releaseId, CancellationToken cancellationToken);
}
