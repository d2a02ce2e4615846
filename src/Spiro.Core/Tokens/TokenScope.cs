namespace Spiro.Core.Tokens;

/// <summary>What a token may do.</summary>
/// <param name="Projects">Projects it may deploy; empty means every project (a root token).</param>
/// <param name="Deployments">Deployments it may deploy within those projects; empty means all.</param>
/// <param name="Admin">Whether it may roll back, promote and delete over the API (within its projects/deployments).</param>
public sealed record TokenScope(IReadOnlyList<string> Projects, IReadOnlyList<string> Deployments, bool Admin)
{
    /// <summary>Every project, every deployment, admin operations included.</summary>
    public static TokenScope Root { get; } = new([], [], Admin: true);

    /// <summary>Whether this is a root (all projects) token.</summary>
    public bool AllProjects => Projects.Count == 0;

    /// <summary>Whether the scope covers <paramref name="project"/> and, when given, <paramref name="deployment"/>.</summary>
    public bool Covers(string project, string? deployment) =>
        (AllProjects || Projects.Contains(project, StringComparer.Ordinal))
        && (deployment is null || Deployments.Count == 0 || Deployments.Contains(deployment, StringComparer.Ordinal));
}
