using Spiro.Core.Names;
using Spiro.Core.TopFiles;
using Spiro.Core.Yaml;

namespace Spiro.Core.Tests.TopFiles;

public sealed class YamlBoundsTests
{
    private static readonly SaltEnvName FooDev = new("foo", "dev");

    [Theory]
    [InlineData(100_000)]
    [InlineData(65)]
    public void Spirotop_NestedFlowLists_IsRefusedAsTooDeepBeforeLoading(int depth)
    {
        var yaml = "dev: " + new string('[', depth) + new string(']', depth) + "\n";

        var result = Assert.IsType<TopFileResult.Invalid>(new TopFileCompiler().CompileSpirotop(yaml, "spirotop.sls", FooDev));

        Assert.Equal("YAML nested deeper than 64 mappings or lists (limit MaxDepth 64) (rule yaml-too-deep)", result.Message);
        Assert.Equal((1, 69), (result.Line, result.Column));
    }

    [Fact]
    public void Check_NestingAtTheLimit_Passes()
    {
        var yaml = "dev: " + new string('[', 63) + new string(']', 63) + "\n";

        Assert.Null(YamlBounds.Check(yaml, YamlLimits.Default));
    }

    [Fact]
    public void Spirotop_AliasBomb_IsRefusedBeforeAnythingIsWritten()
    {
        // The attack from the issue: one anchored 10 KB scalar, a 100-item list of aliases, 300 targets pointing at that list.
        var yaml = "x: &s '" + new string('l', 10_000) + "'\ny: &l [" + string.Join(",", Enumerable.Repeat("*s", 100)) + "]\ndev:\n"
            + string.Concat(Enumerable.Range(0, 300).Select(i => $"  t{i}: *l\n"));

        var result = Assert.IsType<TopFileResult.Invalid>(new TopFileCompiler().CompileSpirotop(yaml, "spirotop.sls", FooDev));

        Assert.Equal(YamlRules.TooLarge, YamlBounds.Check(yaml, YamlLimits.Default)!.Rule);
        Assert.EndsWith("(limit MaxScalarChars 1048576) (rule yaml-too-large)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ManySmallAliases_CountsTheNodesTheyStandFor()
    {
        // 1,000 nodes behind one anchor, referenced 200 times: 200,000 nodes expanded from a 3 KB text.
        var yaml = "a: &a [" + string.Join(",", Enumerable.Repeat("b", 999)) + "]\nc: [" + string.Join(",", Enumerable.Repeat("*a", 200)) + "]\n";

        var violation = YamlBounds.Check(yaml, YamlLimits.Default);

        Assert.Equal(YamlRules.TooManyNodes, violation?.Rule);
    }

    [Fact]
    public void Check_AliasesWithinTheLimits_Pass()
    {
        var yaml = "dev:\n  'web*': &s [core, web]\n  'db*': *s\n";

        Assert.Null(YamlBounds.Check(yaml, YamlLimits.Default));
        Assert.IsType<TopFileResult.Generated>(new TopFileCompiler().CompileSpirotop(yaml, "spirotop.sls", FooDev));
    }

    [Fact]
    public void Check_SyntaxError_IsLeftToTheLoader()
    {
        Assert.Null(YamlBounds.Check("dev: [unclosed\n", YamlLimits.Default));
    }

    [Fact]
    public void Check_LimitsAreTheOnesGiven()
    {
        var limits = new YamlLimits { MaxDepth = 2, MaxNodes = 5, MaxScalarChars = 10 };

        Assert.Equal(YamlRules.TooDeep, YamlBounds.Check("a: [[x]]", limits)?.Rule);
        Assert.Equal(YamlRules.TooManyNodes, YamlBounds.Check("[a, b, c, d, e]", limits)?.Rule);
        Assert.Equal(YamlRules.TooLarge, YamlBounds.Check("a: '0123456789'", limits)?.Rule);
        Assert.Null(YamlBounds.Check("a: [b, c]", limits));
    }
}
