using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Tests.TopFiles;

public sealed class TopFileCompilerTests
{
    // The example of docs/highstate.md ("Which top file a saltenv gets"), written as a user would.
    private const string DesignExample = """
        prod:
          foo-prod-www:
            - server
            - logging.prod
        dev:
          foo-dev:
            - server
        """;

    private static readonly SaltEnvName FooDev = new("foo", "dev");
    private static readonly SaltEnvName FooProd = new("foo", "prod");

    [Fact]
    public void CompileSpirotop_DesignExampleForDev_KeepsOnlyDevSectionUnderQuotedSaltEnv()
    {
        var result = new TopFileCompiler().CompileSpirotop(DesignExample, "spirotop.sls", FooDev);

        var generated = Assert.IsType<TopFileResult.Generated>(result);
        Assert.Equal("top.sls", generated.FileName);
        Assert.False(generated.FromJinja);
        Assert.Equal("'foo/dev':\n  foo-dev:\n  - server\n", generated.Content);
        Assert.Equal("{foo/dev: {foo-dev: [server]}}", YamlShape.Of(generated.Content));
    }

    [Fact]
    public void CompileSpirotop_DesignExampleForProd_KeepsOnlyProdSection()
    {
        var result = new TopFileCompiler().CompileSpirotop(DesignExample, "spirotop.sls", FooProd);

        var generated = Assert.IsType<TopFileResult.Generated>(result);
        Assert.Equal("{foo/prod: {foo-prod-www: [server, logging.prod]}}", YamlShape.Of(generated.Content));
    }

    [Fact]
    public void CompileSpirotop_FlowStyleDesignExample_GivesTheSameTopFile()
    {
        var flow = "{prod: {foo-prod-www: [server, logging.prod]}, dev: {foo-dev: [server]}}";

        var result = new TopFileCompiler().CompileSpirotop(flow, "spirotop.sls", FooDev);

        Assert.Equal("{foo/dev: {foo-dev: [server]}}", YamlShape.Of(Assert.IsType<TopFileResult.Generated>(result).Content));
    }

    [Fact]
    public void CompileSpirotop_WithMatcherOptionAndQuotedNames_KeepsThemAndTheirQuoting()
    {
        var yaml = """
            dev:
              'os:Debian':
                - match: grain
                - server
              '*':
                - '123'
            """;

        var result = new TopFileCompiler().CompileSpirotop(yaml, "spirotop.sls", FooDev);

        var content = Assert.IsType<TopFileResult.Generated>(result).Content;
        Assert.Equal("{foo/dev: {os:Debian: [{match: grain}, server], *: [123]}}", YamlShape.Of(content));
        Assert.Contains("- '123'", content, StringComparison.Ordinal);
        Assert.Contains("'*':", content, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileSpirotop_WithNoSectionForDeployment_GivesNone()
    {
        var result = new TopFileCompiler().CompileSpirotop(DesignExample, "spirotop.sls", new SaltEnvName("foo", "staging"));

        var none = Assert.IsType<TopFileResult.None>(result);
        Assert.Contains("no section for deployment 'staging'", none.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileSpirotop_WithExplicitEmptySection_GivesNone()
    {
        var result = new TopFileCompiler().CompileSpirotop("dev: {}\nprod:\n  x: [y]\n", "spirotop.sls", FooDev);

        Assert.Contains("no targets", Assert.IsType<TopFileResult.None>(result).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("# nothing yet\n", "")]
    public void CompileSpirotop_WithEmptyFile_GivesNone(string yaml, string unused)
    {
        _ = unused;
        Assert.IsType<TopFileResult.None>(new TopFileCompiler().CompileSpirotop(yaml, "spirotop.sls", FooDev));
    }

    [Theory]
    [InlineData("{% set x = 1 %}\ndev: {foo-dev: [server]}\n")]
    [InlineData("dev: {'{{ grains.id }}': [server]}\n")]
    [InlineData("{# a comment #}\ndev: {foo-dev: [server]}\n")]
    public void CompileSpirotop_WithJinja_GivesTheVerifiedWrapper(string yaml)
    {
        var result = new TopFileCompiler().CompileSpirotop(yaml, "spirotop.sls", FooDev);

        var generated = Assert.IsType<TopFileResult.Generated>(result);
        Assert.True(generated.FromJinja);
        Assert.Equal("top.sls", generated.FileName);
        Assert.Equal(
            "{%- load_yaml as spirotop %}{% include 'spirotop.sls' %}{% endload -%}\n"
            + "{{ {'foo/dev': spirotop.get('dev', {})} | yaml(False) }}\n",
            generated.Content);
    }

    [Fact]
    public void CompileSpirotop_WithJinjaForProd_SubstitutesSaltEnvAndDeployment()
    {
        var result = new TopFileCompiler("custom_top.sls").CompileSpirotop("{{ x }}", "spirotop.sls", new SaltEnvName("my.proj", "prod-eu_1"));

        var generated = Assert.IsType<TopFileResult.Generated>(result);
        Assert.Equal("custom_top.sls", generated.FileName);
        Assert.EndsWith("{{ {'my.proj/prod-eu_1': spirotop.get('prod-eu_1', {})} | yaml(False) }}\n", generated.Content, StringComparison.Ordinal);
    }
}
