using Spiro.Core.Tokens;

namespace Spiro.Core.Tests.Tokens;

public sealed class TokenSecretTests
{
    [Fact]
    public void Generate_HasPrefixAnd256BitsOfBase64Url()
    {
        var token = TokenSecret.Generate();

        Assert.StartsWith("spiro_", token, StringComparison.Ordinal);
        Assert.Equal(6 + 43, token.Length);
        Assert.True(TokenSecret.IsWellFormed(token));
        Assert.NotEqual(token, TokenSecret.Generate());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("spiro_short")]
    [InlineData("ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("spiro_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("spiro_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")]
    public void IsWellFormed_RejectsOtherShapes(string? token) => Assert.False(TokenSecret.IsWellFormed(token));

    [Fact]
    public void Hash_IsLowerHexSha256() =>
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", TokenSecret.Hash("hello"));

    [Theory]
    [InlineData("90d", 90 * 24 * 3600)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("30m", 30 * 60)]
    [InlineData("2w", 14 * 24 * 3600)]
    [InlineData("45s", 45)]
    public void Lifespan_ParsesUnits(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TokenLifespan.TryParse(text, out _));

    [Theory]
    [InlineData("d")]
    [InlineData("-5d")]
    [InlineData("0d")]
    [InlineData("5y")]
    public void Lifespan_RejectsNonsenseWithMessage(string text)
    {
        Assert.Null(TokenLifespan.TryParse(text, out var error));
        Assert.Contains("90d", error, StringComparison.Ordinal);
    }
}
