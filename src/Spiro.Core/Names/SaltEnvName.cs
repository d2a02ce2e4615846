using System.Text.RegularExpressions;

namespace Spiro.Core.Names;

/// <summary>
/// A saltenv owned by SpiroFS: <c>project/deployment</c>, each part matching <see cref="Rule"/>.
/// </summary>
public sealed partial record SaltEnvName(string Project, string Deployment)
{
    /// <summary>The rule every project and deployment name follows, quoted in error messages.</summary>
    public const string Rule = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    /// <summary>The saltenv string Salt sees.</summary>
    public override string ToString() => $"{Project}/{Deployment}";

    /// <summary>Why <paramref name="name"/> is not a valid project or deployment name, or null when it is.</summary>
    public static string? ExplainInvalidPart(string what, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"{what} name is empty; it must match {Rule}";
        }

        if (name is "." or ".." || !PartPattern().IsMatch(name))
        {
            return $"{what} name '{name}' is invalid; it must match {Rule} and not be '.' or '..'";
        }

        return null;
    }

    /// <summary>Validates both parts; returns null and an error message when either is invalid.</summary>
    public static SaltEnvName? TryCreate(string? project, string? deployment, out string? error)
    {
        error = ExplainInvalidPart("project", project) ?? ExplainInvalidPart("deployment", deployment);
        return error is null ? new SaltEnvName(project!, deployment!) : null;
    }

    /// <summary>Parses <c>project/deployment</c>; anything else (no slash, two slashes, bad parts) is an error.</summary>
    public static SaltEnvName? TryParse(string? saltEnv, out string? error)
    {
        var parts = (saltEnv ?? "").Split('/');
        if (parts.Length != 2)
        {
            error = $"saltenv '{saltEnv}' must be PROJECT/DEPLOYMENT";
            return null;
        }

        return TryCreate(parts[0], parts[1], out error);
    }

    // \z, not $: in .NET '$' also matches before a trailing newline, which would let "dev\n" through.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PartPattern();
}
