using Spiro.Testing;

namespace Spiro.RealSalt.Tests.Support;

/// <summary>The original spiro-deploy 0.2 logic (tests/original-client/spiro_deploy.py), run as CI would run it.</summary>
internal static class OriginalClient
{
    /// <summary>Debian's python has <c>requests</c> (the original's one dependency) with Salt's other packages.</summary>
    private static string Python => Environment.GetEnvironmentVariable("SPIRO_SALT_PYTHON") is { Length: > 0 } python ? python : "/usr/bin/python3";

    public static Task<CommandResult> DeployAsync(string projectDir, Uri server, string token, string project, string deployment, params string[] extra) =>
        ProcessRunner.RunAsync(
            Python,
            [Path.Combine(RepoPaths.Root, "tests", "original-client", "spiro_deploy.py"), "--server", server.ToString(), .. extra, project, deployment],
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["SPIRO_TOKEN"] = token },
            workingDirectory: projectDir);
}
