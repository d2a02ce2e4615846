namespace Spiro.Core.Tokens;

/// <summary>What a request needs a token to cover.</summary>
/// <param name="Project">The project it touches, or null for project-independent requests.</param>
/// <param name="Deployment">The deployment it touches, or null.</param>
/// <param name="Admin">Whether it is an admin operation (rollback, promote, delete).</param>
/// <param name="Root">Whether only a root token will do (listing every token).</param>
public sealed record TokenRequirement(string? Project, string? Deployment, bool Admin, bool Root = false)
{
    /// <summary>Only a root token (every project, admin scope).</summary>
    public static TokenRequirement RootOnly { get; } = new(null, null, Admin: true, Root: true);

    /// <summary>Any valid token will do (auth check, listings filtered by scope).</summary>
    public static TokenRequirement AnyValid { get; } = new(null, null, Admin: false);

    /// <summary>Deploying to <paramref name="project"/>/<paramref name="deployment"/>.</summary>
    public static TokenRequirement Deploy(string project, string deployment) => new(project, deployment, Admin: false);

    /// <summary>An admin operation on <paramref name="project"/>/<paramref name="deployment"/>.</summary>
    public static TokenRequirement AdminOn(string project, string deployment) => new(project, deployment, Admin: true);
}
