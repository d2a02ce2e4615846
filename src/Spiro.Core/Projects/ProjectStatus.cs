using Spiro.Core.Names;

namespace Spiro.Core.Projects;

/// <summary>A project's settings and its live saltenvs, as <c>spiro project show</c> lists them.</summary>
/// <param name="Policy">What an admin set.</param>
/// <param name="SaltEnvs">The project's live saltenvs, ordered by name.</param>
public sealed record ProjectStatus(ProjectPolicy Policy, IReadOnlyList<ProjectSaltEnv> SaltEnvs);

/// <summary>One live saltenv of a project.</summary>
/// <param name="SaltEnv">The saltenv.</param>
/// <param name="LiveRelease">Its live release.</param>
/// <param name="TopRead">
/// Whether Salt reads the live release's top file: false when the project is confined and that top
/// file was compiled without its allowed targets (published before them), until it is published again.
/// </param>
public sealed record ProjectSaltEnv(SaltEnvName SaltEnv, string LiveRelease, bool TopRead);
