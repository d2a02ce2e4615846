using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Tests.TopFiles;

public sealed class TargetConfinementTests
{
    private static readonly SaltEnvName FooDev = new("foo", "dev");

    private static TopFileCompiler Confined(string allowed = "m1") => new() { AllowTargets = allowed };

    [Fact]
    public void CompileSpirotop_ConfinedProject_AndsEveryTargetWithTheAllowedTargetsAsCompound()
    {
        var result = Confined().CompileSpirotop("dev:\n  '*':\n    - web\n", "spirotop.sls", FooDev);

        var generated = Assert.IsType<TopFileResult.Generated>(result);
        Assert.Equal("# spiro-allow-targets: m1\n'foo/dev':\n  '( * ) and ( m1 )':\n  - web\n  - match: compound\n", generated.Content);
        Assert.True(TargetConfinement.IsConfinedBy(generated.Content, "m1"));
        Assert.False(TargetConfinement.IsConfinedBy(generated.Content, "m2"));
    }

    [Theory]
    [InlineData("glob", "web*", "( web* ) and ( m1 )")]
    [InlineData("grain", "os:Debian", "( G@os:Debian ) and ( m1 )")]
    [InlineData("grain_pcre", "os:Deb.*", "( P@os:Deb.* ) and ( m1 )")]
    [InlineData("pillar", "role:web", "( I@role:web ) and ( m1 )")]
    [InlineData("pillar_pcre", "role:w.*", "( J@role:w.* ) and ( m1 )")]
    [InlineData("list", "m1,m2", "( L@m1,m2 ) and ( m1 )")]
    [InlineData("pcre", "m[0-9]", "( E@m[0-9] ) and ( m1 )")]
    [InlineData("ipcidr", "10.0.0.0/8", "( S@10.0.0.0/8 ) and ( m1 )")]
    [InlineData("nodegroup", "webs", "( N@webs ) and ( m1 )")]
    [InlineData("compound", "G@os:Debian or web*", "( G@os:Debian or web* ) and ( m1 )")]
    public void CompileSpirotop_EachMatcher_BecomesItsCompoundEngineAndMatchCompound(string match, string target, string expected)
    {
        var yaml = $"dev:\n  '{target}':\n    - match: {match}\n    - web\n";

        var generated = Assert.IsType<TopFileResult.Generated>(Confined().CompileSpirotop(yaml, "spirotop.sls", FooDev));

        Assert.Equal($"{{foo/dev: {{{expected}: [web, {{match: compound}}]}}}}", YamlShape.Of(generated.Content));
    }

    [Theory]
    [InlineData("'* ) or ( *'", "compound")] // would close the parenthesis it is put in
    [InlineData("'( *'", "compound")]
    [InlineData("'G@os:Debian'", "glob")] // compound matching would read it as a grain
    [InlineData("'or'", "glob")]
    [InlineData("'a b'", "grain")]
    [InlineData("'x'", "pillar_exact")]
    [InlineData("'x'", "data")]
    public void CompileSpirotop_TargetWithoutASafeCompoundForm_IsRefusedNamingIt(string target, string match)
    {
        var yaml = $"dev:\n  {target}:\n    - match: {match}\n    - web\n";

        var invalid = Assert.IsType<TopFileResult.Invalid>(Confined().CompileSpirotop(yaml, "spirotop.sls", FooDev));

        Assert.Contains(TargetConfinement.UnconfinableRule, invalid.Message, StringComparison.Ordinal);
        Assert.Contains(target.Trim('\''), invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileSpirotop_UnbalancedTargetWithoutMatchOption_IsRefusedBecauseSaltDefaultsToCompound()
    {
        var invalid = Assert.IsType<TopFileResult.Invalid>(Confined().CompileSpirotop("dev:\n  '* ) or ( *':\n    - web\n", "spirotop.sls", FooDev));

        Assert.Contains("parentheses", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileSpirotop_LastMatchOptionWins_AsSaltsConfirmTopReadsIt()
    {
        var yaml = "dev:\n  'os:Debian':\n    - match: glob\n    - web\n    - match: grain\n";

        var generated = Assert.IsType<TopFileResult.Generated>(Confined().CompileSpirotop(yaml, "spirotop.sls", FooDev));

        Assert.Equal("{foo/dev: {( G@os:Debian ) and ( m1 ): [web, {match: compound}]}}", YamlShape.Of(generated.Content));
    }

    [Fact]
    public void CompileSpirotop_JinjaSpirotopOfConfinedProject_RendersItOnlyOnMinionsInsideTheAllowedTargets()
    {
        var generated = Assert.IsType<TopFileResult.Generated>(Confined("G@role:web").CompileSpirotop("{% set x = 1 %}dev: {}\n", "spirotop.sls", FooDev));

        Assert.True(generated.FromJinja);
        Assert.StartsWith("# spiro-allow-targets: G@role:web\n{% set spirotop = {} %}{% if salt['match.compound']('G@role:web') %}{% load_yaml as spirotop %}{% include 'spirotop.sls' %}", generated.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckKept_ConfinedProject_RefusesTheBundlesOwnTopFile()
    {
        var invalid = Assert.IsType<TopFileResult.Invalid>(Confined().CheckKept("'foo/dev':\n  m1:\n    - web\n", FooDev));

        Assert.Contains(TargetConfinement.KeptRule, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileSpirotop_UnconfinedProject_IsUnchanged()
    {
        var generated = Assert.IsType<TopFileResult.Generated>(new TopFileCompiler().CompileSpirotop("dev:\n  '*':\n    - web\n", "spirotop.sls", FooDev));

        Assert.Equal("'foo/dev':\n  '*':\n  - web\n", generated.Content);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("m1\nm2")]
    [InlineData("E@m{1,3}")]
    [InlineData("and m1")]
    [InlineData("( m1")]
    [InlineData("m1 )")]
    public void Validate_BadAllowedTargets_SaysWhy(string expression) =>
        Assert.NotNull(TargetConfinement.Validate(expression));

    [Theory]
    [InlineData("m1")]
    [InlineData("L@m1,m2")]
    [InlineData("( G@role:web or web* ) and not db*")]
    public void Validate_CompoundExpressions_AreAccepted(string expression) =>
        Assert.Null(TargetConfinement.Validate(expression));
}
