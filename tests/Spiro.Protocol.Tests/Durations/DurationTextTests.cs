using Spiro.Protocol.Durations;

namespace Spiro.Protocol.Tests.Durations;

/// <summary>The one duration syntax that token lifespans, server settings and spiro-deploy --timeout share.</summary>
public sealed class DurationTextTests
{
    [Theory]
    [InlineData("900", 900)]
    [InlineData("2.5", 2.5)]
    [InlineData("45s", 45)]
    [InlineData("15m", 900)]
    [InlineData("1.5h", 5400)]
    [InlineData("1d", 86_400)]
    [InlineData("3D", 3 * 86_400)]
    [InlineData("2w", 14 * 86_400)]
    [InlineData(" 30s ", 30)]
    public void TryParse_ReadsEveryForm(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.TryParse(text, "x", out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("0")]
    [InlineData("0d")]
    [InlineData("-5m")]
    [InlineData("+5m")]
    [InlineData("1e3")]
    [InlineData("1.2.3s")]
    [InlineData("1,5h")]
    [InlineData("5 m")]
    [InlineData("soon")]
    [InlineData("5y")]
    [InlineData("99999999999999999999w")]
    [InlineData("8w")]
    [InlineData("0.00000001")]
    public void TryParse_RefusesWithAnErrorNamingTheSettingAndTheForms(string? text)
    {
        Assert.Null(DurationText.TryParse(text, "keepalive_interval", out var error));
        Assert.StartsWith("keepalive_interval '", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LongInput_IsRefusedWithoutEchoingItWhole()
    {
        var text = new string('9', 10_000) + "s";

        Assert.Null(DurationText.TryParse(text, "--timeout", out var error));
        Assert.True(error!.Length < 300, error);
    }

    [Fact]
    public void TryParse_TimersStopBeforeWhatNetTimersTake_LifespansGoFurther()
    {
        Assert.Equal(TimeSpan.FromDays(49), DurationText.TryParse("7w", "--timeout", out _));
        Assert.Null(DurationText.TryParse("50d", "--timeout", out var error));
        Assert.Contains("longer than the 49 days allowed", error, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(520), DurationText.TryParse("520d", "lifespan", out _, DurationText.MaxLifespan));
        Assert.Null(DurationText.TryParse("1000000w", "lifespan", out _, DurationText.MaxLifespan));
    }
}
