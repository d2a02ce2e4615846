using Spiro.Core.Releases.Retention;

namespace Spiro.Core.Tests.Releases;

public sealed class RetentionPolicyTests
{
    private static readonly RetainedRelease[] Five =
    [
        new("r1", 1), new("r2", 2), new("r3", 3), new("r4", 4), new("r5", 5),
    ];

    [Fact]
    public void Select_KeepsTheNewestN_RemovesTheRestOldestFirst() =>
        Assert.Equal(["r1", "r2"], RetentionPolicy.SelectForRemoval(Five, "r5", keep: 3));

    [Fact]
    public void Select_WithAnOldLiveRelease_KeepsItOnTopOfTheNewestN() =>
        Assert.Equal(["r2", "r3"], RetentionPolicy.SelectForRemoval(Five, "r1", keep: 2));

    [Fact]
    public void Select_WithFewerReleasesThanN_RemovesNothing() =>
        Assert.Empty(RetentionPolicy.SelectForRemoval(Five, "r5", keep: 10));

    [Fact]
    public void Select_WithKeepZero_KeepsOnlyTheLiveRelease() =>
        Assert.Equal(["r1", "r2", "r4", "r5"], RetentionPolicy.SelectForRemoval(Five, "r3", keep: 0));

    [Fact]
    public void Select_WithNoLiveRelease_KeepsOnlyTheNewestN() =>
        Assert.Equal(["r1", "r2", "r3", "r4"], RetentionPolicy.SelectForRemoval(Five, null, keep: 1));

    [Fact]
    public void Select_OrdersByCreationOrderNotByInputOrder() =>
        Assert.Equal(["r1"], RetentionPolicy.SelectForRemoval([Five[4], Five[0], Five[2], Five[1], Five[3]], "r5", keep: 4));

    [Fact]
    public void Select_WithNegativeKeep_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetentionPolicy.SelectForRemoval(Five, null, keep: -1));
}
