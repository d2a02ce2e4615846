using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Tests.TopFiles;

/// <summary>A bundle's own top.sls may only speak for the saltenv it is deployed to.</summary>
public sealed class KeptTopFileTests
{
    private static readonly SaltEnvName FooDev = new("foo", "dev");

    [Theory]
    [InlineData("base:\n  '*': [evil]\n", "base")]
    [InlineData("'foo/dev': {'*': [a]}\n'bar/prod': {'*': [b]}\n", "bar/prod")]
    [InlineData("'foo/prod': {'*': [a]}\n", "foo/prod")]
    public void CheckKept_WithAnotherSaltenvsSection_IsInvalidAndNamesIt(string text, string foreign)
    {
        var result = Assert.IsType<TopFileResult.Invalid>(new TopFileCompiler().CheckKept(text, FooDev));

        Assert.Contains($"section '{foreign}'", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("(rule top-foreign-saltenv)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckKept_WithOnlyItsOwnSection_IsKept()
    {
        var result = new TopFileCompiler().CheckKept("'foo/dev':\n  'web*':\n    - server\n    - match: glob\n", FooDev);

        Assert.Equal(new TopFileResult.Kept("top.sls"), result);
    }

    [Theory]
    [InlineData("'foo/dev': [oops\n")]
    [InlineData("'foo/dev':\n")]
    [InlineData("'foo/dev': {'*': yes}\n")]
    public void CheckKept_Malformed_IsInvalidWithPosition(string text)
    {
        var result = Assert.IsType<TopFileResult.Invalid>(new TopFileCompiler().CheckKept(text, FooDev));

        Assert.Equal("top.sls", result.File);
        Assert.True(result.Line >= 1);
    }

    [Fact]
    public void CheckKept_WithJinja_IsKeptAndMarkedForTheRenderGate()
    {
        var result = Assert.IsType<TopFileResult.Kept>(new TopFileCompiler().CheckKept("{% if 1 %}base: {'*': [x]}{% endif %}\n", FooDev));

        Assert.True(result.FromJinja);
    }

    [Fact]
    public void CheckKept_AliasBomb_IsRefusedByTheYamlBounds()
    {
        var text = "x: &a [" + string.Join(",", Enumerable.Repeat("'" + new string('l', 1000) + "'", 100)) + "]\n'foo/dev': {" +
            string.Join(",", Enumerable.Range(0, 300).Select(i => $"t{i}: *a")) + "}\n";

        var result = Assert.IsType<TopFileResult.Invalid>(new TopFileCompiler().CheckKept(text, FooDev));

        Assert.EndsWith("(rule yaml-too-large)", result.Message, StringComparison.Ordinal);
    }
}
