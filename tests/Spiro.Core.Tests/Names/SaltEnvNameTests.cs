using Spiro.Core.Names;

namespace Spiro.Core.Tests.Names;

public sealed class SaltEnvNameTests
{
    [Theory]
    [InlineData("myproject", "dev")]
    [InlineData("a", "b")]
    [InlineData("My_Project.v2", "prod-eu-1")]
    public void TryCreate_WithValidParts_ReturnsSaltEnv(string project, string deployment)
    {
        var name = SaltEnvName.TryCreate(project, deployment, out var error);

        Assert.Null(error);
        Assert.Equal($"{project}/{deployment}", name!.ToString());
    }

    [Theory]
    [InlineData("", "dev", "project name is empty")]
    [InlineData("..", "dev", "project name '..' is invalid")]
    [InlineData("p", ".", "deployment name '.' is invalid")]
    [InlineData("-p", "dev", "project name '-p' is invalid")]
    [InlineData("p/q", "dev", "project name 'p/q' is invalid")]
    [InlineData("p", "dev\n", "deployment name 'dev\n' is invalid")]
    public void TryCreate_WithInvalidPart_QuotesTheRule(string project, string deployment, string expected)
    {
        var name = SaltEnvName.TryCreate(project, deployment, out var error);

        Assert.Null(name);
        Assert.StartsWith(expected, error);
        Assert.Contains(SaltEnvName.Rule, error);
    }

    [Fact]
    public void TryCreate_WithSixtyFiveCharacters_IsRejected()
    {
        Assert.Null(SaltEnvName.TryCreate(new string('a', 65), "dev", out _));
        Assert.NotNull(SaltEnvName.TryCreate(new string('a', 64), "dev", out _));
    }

    [Theory]
    [InlineData("base")]
    [InlineData("a/b/c")]
    [InlineData("/dev")]
    public void TryParse_WithoutExactlyOneSlash_IsNotOurs(string saltEnv)
    {
        Assert.Null(SaltEnvName.TryParse(saltEnv, out var error));
        Assert.NotNull(error);
    }
}
