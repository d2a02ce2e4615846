using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Tests.TopFiles;

public sealed class TopFileCompilerInvalidTests
{
    private static readonly SaltEnvName FooDev = new("foo", "dev");

    [Theory]
    [InlineData("- dev\n- prod\n", 1, 1, "must be a mapping of deployment names")]
    [InlineData("just text\n", 1, 1, "must be a mapping of deployment names")]
    [InlineData("dev: [server]\n", 1, 6, "section 'dev' must be a mapping of targets")]
    [InlineData("prod:\n  www: [a]\ndev:\n", 3, 5, "section 'dev' is empty")]
    [InlineData("dev:\n  foo-dev: server\n", 2, 12, "target 'foo-dev' in section 'dev' must have a list of states")]
    [InlineData("dev:\n  foo-dev:\n", 2, 11, "target 'foo-dev' in section 'dev' must have a list of states")]
    [InlineData("dev:\n  foo-dev:\n    - server\n    - [a, b]\n", 4, 7, "must be a state name or a single-key option")]
    [InlineData("dev:\n  foo-dev:\n    - server\n    - {match: grain, x: y}\n", 4, 7, "must be a state name or a single-key option")]
    [InlineData("dev:\n  foo-dev:\n    - match: [a]\n", 3, 14, "option 'match' of target 'foo-dev' in section 'dev' must have a single value")]
    [InlineData("dev:\n  foo-dev:\n    - server\n    - yes\n", 4, 7, "'yes' is read by Salt as a boolean (quote it)")]
    [InlineData("dev:\n  foo-dev:\n    - ~\n", 3, 7, "is read by Salt as null")]
    [InlineData("dev:\n  12: [server]\n", 2, 3, "target in section 'dev' must be a string; '12' is read by Salt as an integer")]
    [InlineData("dev:\n  [a]: [server]\n", 2, 3, "target in section 'dev' must be a string; found a list")]
    [InlineData("dev:\n  x: [a]\n  x: [b]\n", 3, 3, "Duplicate key x")]
    [InlineData("dev:\n  x: [a]\n  'x': [b]\n", 3, 3, "Duplicate key x")]
    [InlineData("dev: {}\n---\nprod: {}\n", 3, 1, "one YAML document")]
    [InlineData("prod:\n  www: [a]\ndev:\n  foo-dev:\n    - ''\n", 5, 7, "must not be empty")]
    public void CompileSpirotop_WithMalformedStructure_IsInvalidAtTheOffendingNode(string yaml, int line, int column, string message)
    {
        var result = new TopFileCompiler().CompileSpirotop(yaml, "spirotop.sls", FooDev);

        var invalid = Assert.IsType<TopFileResult.Invalid>(result);
        Assert.Equal("spirotop.sls", invalid.File);
        Assert.Contains(message, invalid.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (invalid.Line, invalid.Column));
    }

    [Fact]
    public void CompileSpirotop_WithBrokenSectionOfAnotherDeployment_IsStillInvalid()
    {
        var result = new TopFileCompiler().CompileSpirotop("dev:\n  foo-dev: [server]\nprod: [oops]\n", "spirotop.sls", FooDev);

        Assert.Equal(3, Assert.IsType<TopFileResult.Invalid>(result).Line);
    }

    [Theory]
    [InlineData("dev:\n  foo-dev: [server\n", 3, 1)]
    [InlineData("dev:\n  foo-dev:\n  - a\n - b\n", 4, 2)]
    [InlineData("dev: {foo-dev: [server]}}\n", 1, 25)]
    [InlineData("dev:\n  foo-dev: 'unterminated\n", 2, 12)]
    public void CompileSpirotop_WithInvalidYamlSyntax_ReportsLineAndColumn(string yaml, int line, int column)
    {
        var result = new TopFileCompiler().CompileSpirotop(yaml, "spirotop.sls", FooDev);

        var invalid = Assert.IsType<TopFileResult.Invalid>(result);
        Assert.StartsWith("invalid YAML: ", invalid.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (invalid.Line, invalid.Column));
    }

    [Fact]
    public void CompileSpirotop_WithDuplicateDeployment_IsInvalid()
    {
        var result = new TopFileCompiler().CompileSpirotop("dev: {a: [b]}\nprod: {c: [d]}\ndev: {e: [f]}\n", "spirotop.sls", FooDev);

        var invalid = Assert.IsType<TopFileResult.Invalid>(result);
        Assert.Equal((3, 1), (invalid.Line, invalid.Column));
    }
}
