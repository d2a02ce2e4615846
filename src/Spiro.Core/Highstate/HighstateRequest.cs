using Spiro.Core.Names;

namespace Spiro.Core.Highstate;

/// <summary>One highstate of the minions using <paramref name="SaltEnv"/>.</summary>
/// <param name="SaltEnv">The saltenv just published.</param>
/// <param name="ReleaseId">The release it now serves (results are stored with it).</param>
/// <param name="Test">Run with <c>test=True</c> (dry run).</param>
public sealed record HighstateRequest(SaltEnvName SaltEnv, string ReleaseId, bool Test);
