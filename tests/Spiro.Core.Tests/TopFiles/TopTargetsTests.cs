using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Tests.TopFiles;

public sealed class TopTargetsTests
{
    private static readonly SaltEnvName FooDev = new("foo", "dev");

    [Fact]
    public void Parse_GeneratedTop_GivesEachTargetWithItsMatcher()
    {
        var text = "'foo/dev':\n  'web*':\n  - app\n  'os:Debian':\n  - match: grain\n  - base\n  'G@role:db and m1':\n  - compound: ignored\n  - match: compound\n";

        var targets = Assert.IsType<TopTargets.Known>(TopTargets.Parse(text, FooDev));

        Assert.Equal([new MinionTarget("web*", "glob"), new MinionTarget("os:Debian", "grain"), new MinionTarget("G@role:db and m1", "compound")], targets.Targets);
    }

    [Fact]
    public void Parse_TheCompilersOwnOutput_RoundTrips()
    {
        var compiled = Assert.IsType<TopFileResult.Generated>(new TopFileCompiler().CompileSpirotop("dev:\n  'm1,m2':\n    - match: list\n    - app\nprod:\n  '*': [app]\n", "spirotop.sls", FooDev));

        var targets = Assert.IsType<TopTargets.Known>(TopTargets.Parse(compiled.Content, FooDev));

        Assert.Equal([new MinionTarget("m1,m2", "list")], targets.Targets);
    }

    [Fact]
    public void Parse_JinjaTop_IsUnknown_AndAnotherSaltEnvsTopIsNone()
    {
        var jinja = Assert.IsType<TopFileResult.Generated>(new TopFileCompiler().CompileSpirotop("{% if 1 %}dev: {'*': [a]}{% endif %}", "spirotop.sls", FooDev));

        Assert.IsType<TopTargets.Unknown>(TopTargets.Parse(jinja.Content, FooDev));
        Assert.IsType<TopTargets.None>(TopTargets.Parse("base:\n  '*': [a]\n", FooDev));
    }

    [Fact]
    public void Read_ReleaseWithoutTopFile_IsNone()
    {
        var directory = Directory.CreateTempSubdirectory("spiro-top-");
        try
        {
            Assert.IsType<TopTargets.None>(TopTargets.Read(directory.FullName, "top.sls", FooDev));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
