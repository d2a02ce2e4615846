namespace Spiro.Protocol.Bundles;

/// <summary>
/// The <c>.gitcommit</c> text of a checkout: <c>git rev-parse HEAD</c>, a newline,
/// <c>git describe --all</c> and a newline; or null with the reason it cannot be had.
/// </summary>
/// <param name="Content">The file content, or null.</param>
/// <param name="Reason">Why <paramref name="Content"/> is null (git missing, not a repository, no commit yet).</param>
public sealed record GitCommitText(string? Content, string? Reason)
{
    /// <summary>Asks git about <paramref name="directory"/>; never throws for a missing git or repository.</summary>
    public static async Task<GitCommitText> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return new GitCommitText(null, $"directory '{directory}' does not exist");
        }

        var head = await GitProcess.RunAsync(directory, ["rev-parse", "HEAD"], cancellationToken);
        if (head is null)
        {
            return new GitCommitText(null, "git is not installed");
        }

        if (head.ExitCode != 0)
        {
            return new GitCommitText(null, $"no git commit in '{directory}': {GitProcess.FirstLine(head.StandardError)}");
        }

        var describe = await GitProcess.RunAsync(directory, ["describe", "--all"], cancellationToken);
        if (describe is null || describe.ExitCode != 0)
        {
            return new GitCommitText(null, $"git describe --all failed in '{directory}': {GitProcess.FirstLine(describe?.StandardError ?? "")}");
        }

        return new GitCommitText($"{head.StandardOutput.Trim()}\n{describe.StandardOutput.Trim()}\n", null);
    }
}
