using Spiro.Core.Bundles;

namespace Spiro.Core.Tests.Bundles;

/// <summary>What follows the first zero block: TarReader stops there, so anything but zero padding would be dropped unseen.</summary>
public sealed class EndOfArchiveTests
{
    private static byte[] Tar(string name) => TarFactory.Tar(w => w.WriteEntry(TarFactory.File(name, "x")));

    private static async Task<BundleReadResult> ExtractAsync(byte[] input)
    {
        using var dir = new TestDirectory();
        return await new BundleReader().ExtractAsync(new MemoryStream(input), dir.Staging, CancellationToken.None);
    }

    [Fact]
    public async Task Extract_ConcatenatedTars_IsRejectedAsBadHeaderInsteadOfDroppingTheSecond()
    {
        var result = await ExtractAsync([.. Tar("a.sls"), .. Tar("b.sls")]);

        Assert.Equal(BundleRules.BadHeader, Assert.IsType<BundleReadResult.Rejected>(result).Rule);
    }

    [Fact]
    public async Task Extract_LoneZeroBlockFollowedByData_IsRejectedAsBadHeader()
    {
        var first = Tar("a.sls");
        var entriesEnd = (first.AsSpan().LastIndexOfAnyExcept((byte)0) / 512 + 1) * 512; // the entries without the end marker
        var withoutEnd = first.AsSpan(0, entriesEnd).ToArray();
        var input = (byte[])[.. withoutEnd, .. new byte[512], .. Tar("b.sls")];

        var result = await ExtractAsync(input);

        Assert.Equal(BundleRules.BadHeader, Assert.IsType<BundleReadResult.Rejected>(result).Rule);
    }

    [Fact]
    public async Task Extract_WithZeroPaddingAfterTheEnd_IsAccepted()
    {
        var result = await ExtractAsync([.. Tar("a.sls"), .. new byte[20 * 512]]);

        Assert.IsType<BundleReadResult.Accepted>(result);
    }
}
