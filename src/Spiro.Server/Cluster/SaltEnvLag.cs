using Spiro.Core.Names;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Server.Cluster;

/// <summary>One saltenv where this master is behind the cluster's pointer: what the pointer names and what the symlink serves.</summary>
internal sealed record SaltEnvLag(SaltEnvName SaltEnv, SharedPointer Target, string? Serves);
