using System.CommandLine;
using Spiro.Core.Releases;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro publish P/D BUNDLE</c>: publish a local bundle file (or stdin) as the saltenv's new release.</summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var lockTimeout = StoreCli.LockTimeoutOption();
        var saltEnvArgument = StoreCli.SaltEnvArgument("saltenv", "PROJECT/DEPLOYMENT to publish to.");
        var bundleArgument = new Argument<string>("bundle") { Description = "Bundle file (tar, tar.gz or tar.zst), or - for stdin." };
        var noWait = Cluster.ClusterWaitCli.NoWaitOption();
        var command = new Command("publish", "Publish a bundle as a new release and make it live.") { saltEnvArgument, bundleArgument, data, lockTimeout, noWait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var saltEnv = StoreCli.ParseSaltEnv(parse, saltEnvArgument);
            if (saltEnv is null)
            {
                return ExitCodes.Usage;
            }

            var bundlePath = parse.GetValue(bundleArgument)!;
            if (bundlePath != "-" && !File.Exists(bundlePath))
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, $"error: bundle file {bundlePath} not found");
            }

            // Null only when --config is bad or names a cluster it cannot reach (the reason is printed).
            if (StoreCli.Open(parse, data, create: true, out var openExit, out var target, lockTimeout) is not { } store)
            {
                return openExit;
            }

            await using var bundle = bundlePath == "-" ? Console.OpenStandardInput() : File.OpenRead(bundlePath);
            var result = await store.PublishAsync(saltEnv, bundle, StoreCli.Context(parse), cancellationToken);
            switch (result)
            {
                case PublishResult.Published published:
                    var release = published.Release;
                    parse.InvocationConfiguration.Output.WriteLine($"published {saltEnv} release {release.Id} ({release.FileCount} files, {release.Size} bytes)");
                    StoreCli.Warn(parse, published.Warnings);
                    return await Cluster.ClusterWaitCli.WaitAsync(parse, target, noWait, saltEnv, release.Id, ExitCodes.Ok, cancellationToken);
                case PublishResult.Rejected rejected:
                    return StoreCli.Fail(parse, ExitCodes.Rejected, $"rejected ({rejected.Rule}): {rejected.Message}");
                case PublishResult.Locked locked:
                    return StoreCli.Fail(parse, ExitCodes.Locked, $"locked: {locked.Message}");
                default:
                    return StoreCli.Fail(parse, ExitCodes.Failure, $"unexpected result {result}");
            }
        });
        return command;
    }
}
