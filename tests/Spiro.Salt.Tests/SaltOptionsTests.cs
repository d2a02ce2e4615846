namespace Spiro.Salt.Tests;

public sealed class SaltOptionsTests
{
    [Fact]
    public void Defaults_UseSaltOnPathWithSaltsOwnTimeout()
    {
        var options = new SaltOptions();

        Assert.Equal("salt", options.Command);
        Assert.True(options.Enabled);
        Assert.Null(options.Validate());
        Assert.Equal(SaltOptions.DefaultKillAfter, options.KillAfter);
        Assert.Equal(new Core.Highstate.HighstateOptions(), options.ToHighstateOptions());
    }

    [Fact]
    public void KillAfter_WithTimeout_AddsTheGrace()
    {
        Assert.Equal(TimeSpan.FromMinutes(12), new SaltOptions { Timeout = TimeSpan.FromMinutes(10) }.KillAfter);
    }

    [Theory]
    [InlineData("0", "--batch-size")]
    [InlineData("-3", "--batch-size")]
    [InlineData("10 %", "--batch-size")]
    public void Validate_WithBadBatchSize_NamesTheFlag(string batch, string flag)
    {
        Assert.StartsWith(flag, new SaltOptions { BatchSize = batch }.Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithMissingConfigDirectory_NamesTheFlag()
    {
        Assert.StartsWith("--salt-config-dir", new SaltOptions { ConfigDirectory = "/nonexistent/salt" }.Validate(), StringComparison.Ordinal);
    }
}
