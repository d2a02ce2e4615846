using Spiro.Core.Names;

namespace Spiro.Core.Releases;

/// <summary>A saltenv with a live release.</summary>
/// <param name="SaltEnv">The saltenv.</param>
/// <param name="LiveRelease">The release its pointer names.</param>
/// <param name="PublishedAt">When that release was made (null if its history row is missing).</param>
/// <param name="PublishedBy">Who made it (null if its history row is missing).</param>
public sealed record DeploymentInfo(SaltEnvName SaltEnv, string LiveRelease, DateTimeOffset? PublishedAt, string? PublishedBy);
