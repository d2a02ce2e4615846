using Spiro.Core.Metadata;

namespace Spiro.Core.Tests.Metadata;

public sealed class AuditTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\nb\r\tc", @"a\nb\r\tc")]
    [InlineData("red\u001b[31m", @"red\u001b[31m")]
    [InlineData("nul\0 del\u007f ls\u2028", @"nul\u0000 del\u007f ls\u2028")]
    [InlineData(@"already\nclean", @"already\nclean")]
    public void Clean_EscapesControlCharactersAndLeavesCleanTextAlone(string value, string expected)
    {
        Assert.Equal(expected, AuditText.Clean(value));
        Assert.Equal(expected, AuditText.Clean(AuditText.Clean(value)));
    }

    [Fact]
    public void Clean_CapsTheLengthWithAMarker()
    {
        var cleaned = AuditText.Clean(new string('a', 10_000), 300);

        Assert.Equal(new string('a', 300) + "...[cut]", cleaned);
    }
}
