namespace Spiro.Core.Projects;

/// <summary>What an admin set for one project (docs/security.md, "Target confinement").</summary>
/// <param name="Project">The project name.</param>
/// <param name="AllowTargets">The compound expression every target of the project's top files is confined to; null: every minion.</param>
/// <param name="SetBy">Who set it (an admin actor, or <c>config</c> for the server's config file).</param>
/// <param name="SetAt">When it was set.</param>
public sealed record ProjectPolicy(string Project, string? AllowTargets, string? SetBy, DateTimeOffset? SetAt);
