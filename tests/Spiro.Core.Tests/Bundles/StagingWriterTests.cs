using Spiro.Core.Bundles;

namespace Spiro.Core.Tests.Bundles;

public sealed class StagingWriterTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("a/b/c.sls", true)]
    [InlineData("_artifacts/..x/y", true)]
    [InlineData("", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("a/../b", false)]
    [InlineData("..", false)]
    [InlineData("a/..", false)]
    [InlineData("./a", false)]
    [InlineData("a//b", false)]
    [InlineData("a/", false)]
    [InlineData("a\\b", false)]
    [InlineData("a\0b", false)]
    public void IsNormalisedRelative_AcceptsOnlyPathsThatStayInsideStaging(string path, bool expected) =>
        Assert.Equal(expected, StagingWriter.IsNormalisedRelative(path));
}
