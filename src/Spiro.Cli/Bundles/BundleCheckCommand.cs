using System.CommandLine;
using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.TopFiles;
using Spiro.Protocol.Bundles;

namespace Spiro.Cli.Bundles;

/// <summary>
/// <c>spiro bundle check FILE|DIR --project P --deployment D</c>: would this bundle (or this
/// project directory, bundled as spiro-deploy bundles it) deploy, and with what top file?
/// </summary>
internal static class BundleCheckCommand
{
    public static Command Create()
    {
        // Optional for the parser so a missing path is our usage error (exit 2), not a parse error (exit 1).
        var input = new Argument<string?>("bundle")
        {
            Description = "A bundle file (tar, tar.gz or tar.zst) or a project directory with a salt directory.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var project = new Option<string>("--project", "-p") { Description = "Project name." };
        var deployment = new Option<string>("--deployment", "-d") { Description = "Deployment name." };
        var saltDir = new Option<string>("--salt-dir") { Description = "Salt directory inside a project directory.", DefaultValueFactory = _ => "_salt" };
        var artifacts = new Option<string[]>("--artifact", "-a") { Description = "File or directory (relative to the project) bundled under _artifacts/; repeatable." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("check", "Validate a bundle or a project directory and show what would be deployed.")
        {
            input, project, deployment, saltDir, artifacts, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var saltEnv = SaltEnvName.TryCreate(parse.GetValue(project), parse.GetValue(deployment), out var nameError);
            if (saltEnv is null)
            {
                await error.WriteLineAsync($"spiro bundle check: {nameError}");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(input) is not { Length: > 0 } path)
            {
                await error.WriteLineAsync("spiro bundle check: give a bundle file or a project directory");
                return ExitCodes.Usage;
            }

            var (report, usage) = await CheckAsync(path, saltEnv, parse.GetValue(saltDir)!, parse.GetValue(artifacts) ?? [], cancellationToken);
            if (report is null)
            {
                await error.WriteLineAsync($"spiro bundle check: {usage}");
                return ExitCodes.Usage;
            }

            var output = parse.InvocationConfiguration.Output;
            await (report.Valid || parse.GetValue(json) ? output : error).WriteAsync(
                parse.GetValue(json) ? BundleCheckOutput.Json(report) : BundleCheckOutput.Text(report));
            return report.Valid ? ExitCodes.Ok : ExitCodes.Rejected;
        });
        return command;
    }

    /// <summary>Checks a project directory (bundled as spiro-deploy would) or a bundle file; a usage problem instead of a report when neither fits.</summary>
    private static async Task<(BundleCheckReport? Report, string? Usage)> CheckAsync(string path, SaltEnvName saltEnv, string saltDir, string[] artifacts, CancellationToken cancellationToken)
    {
        var checker = new BundleChecker(new BundleReader(), new TopFileCompiler());
        if (Directory.Exists(path))
        {
            var spec = new BundleSpec(path, saltDir, artifacts, null, (await GitCommitText.ReadAsync(path, cancellationToken)).Content);
            return BundleBuilder.Validate(spec) is { } specError
                ? (null, specError)
                : (await checker.CheckProjectAsync(spec, saltEnv, cancellationToken), null);
        }

        if (!File.Exists(path))
        {
            return (null, $"'{path}' is neither a bundle file nor a project directory");
        }

        return artifacts.Length > 0
            ? (null, "--artifact only applies to a project directory")
            : (await checker.CheckFileAsync(path, saltEnv, cancellationToken), null);
    }
}
