using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Cli.Bundles;

/// <summary>What <c>spiro bundle check</c> found: the reader's verdict and, for an accepted bundle, the top file decision.</summary>
internal sealed record BundleCheckReport(SaltEnvName SaltEnv, BundleReadResult Read, TopFileResult? TopFile)
{
    public bool Valid => Read is BundleReadResult.Accepted && TopFile is not TopFileResult.Invalid;
}
