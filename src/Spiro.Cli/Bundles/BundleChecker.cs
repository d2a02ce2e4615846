using System.IO.Pipelines;
using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.TopFiles;
using Spiro.Protocol.Bundles;

namespace Spiro.Cli.Bundles;

/// <summary>
/// Reads a bundle file, or a project directory bundled on the fly exactly as spiro-deploy bundles
/// it, into a temporary staging directory (always deleted), and decides its top file.
/// </summary>
internal sealed class BundleChecker(BundleReader reader, TopFileCompiler compiler)
{
    public async Task<BundleCheckReport> CheckFileAsync(string bundlePath, SaltEnvName saltEnv, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return await CheckAsync(input, saltEnv, cancellationToken);
    }

    /// <summary>The builder writes into a pipe while the reader reads from it: no temp bundle, no buffer.</summary>
    public async Task<BundleCheckReport> CheckProjectAsync(BundleSpec spec, SaltEnvName saltEnv, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        using var stopBuilder = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var builder = BuildIntoAsync(pipe.Writer, spec, stopBuilder.Token);
        try
        {
            await using var input = pipe.Reader.AsStream();
            return await CheckAsync(input, saltEnv, cancellationToken);
        }
        finally
        {
            // A rejected bundle is not read to the end: stop the builder instead of letting it write into the void.
            await stopBuilder.CancelAsync();
            await builder;
        }
    }

    private static async Task BuildIntoAsync(PipeWriter writer, BundleSpec spec, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await BundleBuilder.WriteAsync(spec, writer.AsStream(leaveOpen: true), cancellationToken);
            await writer.CompleteAsync();
        }
        catch (Exception e)
        {
            // The reader sees the builder's failure as the read error it is.
            await writer.CompleteAsync(e);
        }
    }

    private async Task<BundleCheckReport> CheckAsync(Stream input, SaltEnvName saltEnv, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("spiro-bundle-check-");
        try
        {
            var staging = Path.Combine(scratch.FullName, "tree");
            var read = await reader.ExtractAsync(input, staging, cancellationToken);
            var topFile = read is BundleReadResult.Accepted ? compiler.Compile(staging, saltEnv) : null;
            return new BundleCheckReport(saltEnv, read, topFile);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
