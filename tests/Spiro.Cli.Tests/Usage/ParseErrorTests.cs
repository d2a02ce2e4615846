namespace Spiro.Cli.Tests.Usage;

public sealed class ParseErrorTests
{
    [Fact]
    public async Task Run_WithVerbMissingItsArgument_ExitsWithUsageCodeAndSaysWhatIsMissing()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["token", "revoke"], output, error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("Required argument missing for command: 'revoke'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Run 'spiro token revoke --help' for usage.", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Run_WithUnknownOption_ExitsWithUsageCode()
    {
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["token", "list", "--no-such-option"], new StringWriter(), error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--no-such-option", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audit")]
    [InlineData("history", "foo/dev")]
    public async Task Run_ListingVerbWithNegativeLimit_ExitsWithUsageCode(params string[] verb)
    {
        var error = new StringWriter();

        var code = await CliApp.RunAsync([.. verb, "--limit", "-3", "--data", "/nonexistent"], new StringWriter(), error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--limit must not be negative", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithHelp_ExitsZeroAndPrintsTheVerbsOptions()
    {
        var output = new StringWriter();

        var code = await CliApp.RunAsync(["token", "revoke", "--help"], output, new StringWriter());

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("token-or-id", output.ToString(), StringComparison.Ordinal);
    }
}
