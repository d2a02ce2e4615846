using Spiro.Cli.Doctor;

namespace Spiro.Cli.Tests.Doctor;

/// <summary>The master config is assembled as Salt 3006 does it (salt/config/__init__.py, master_config).</summary>
public sealed class SaltMasterConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spiro-master-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string relative, string yaml)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
    }

    [Fact]
    public void IncludedFile_ReplacesTheMainFilesKey_AndIncludesJoinTheirLists()
    {
        Write("master", "fileserver_backend: [roots, git]\nmodule_dirs: [/srv/a]\nuser: salt\n");
        Write("master.d/10-one.conf", "module_dirs: [/srv/b]\n");
        Write("master.d/20-two.conf", "module_dirs: [/srv/c, /srv/b]\nfileserver_backend: [roots, spiro]\n");

        var config = SaltMasterConfig.Load(_dir);

        Assert.Equal(["/srv/b", "/srv/c"], config.List("module_dirs"));
        Assert.Equal(["roots", "spiro"], config.List("fileserver_backend"));
        Assert.Equal("salt", config.Scalar("user"));
        Assert.Equal(["fileserver_backend", "module_dirs"], config.Replaced.Order(StringComparer.Ordinal));
        Assert.Equal(Path.Combine(_dir, "master.d", "20-two.conf"), config.Where("fileserver_backend"));
        Assert.Empty(config.Errors);
    }

    [Fact]
    public void DefaultInclude_ReadsOnlyConfFilesInNameOrder_AndAnotherDefaultIncludeMovesIt()
    {
        Write("master.d/b.conf", "spiro_data: /from/b\n");
        Write("master.d/a.conf", "spiro_data: /from/a\n");
        Write("master.d/c.conf.dpkg-old", "spiro_data: /from/old\n");
        Assert.Equal("/from/b", SaltMasterConfig.Load(_dir).Scalar("spiro_data"));

        Write("master", "default_include: other/*.yml\n");
        Write("other/x.yml", "spiro_data: /from/other\n");
        Assert.Equal("/from/other", SaltMasterConfig.Load(_dir).Scalar("spiro_data"));
    }

    [Fact]
    public void BrokenYaml_IsAnErrorNamingTheFile_AndTheRestIsStillRead()
    {
        Write("master", "user: root\n");
        Write("master.d/bad.conf", "module_dirs: [unclosed\n");
        Write("master.d/list.conf", "- not a mapping\n");

        var config = SaltMasterConfig.Load(_dir);

        Assert.Equal("root", config.Scalar("user"));
        Assert.Equal(2, config.Errors.Count);
        Assert.Contains(config.Errors, e => e.StartsWith(Path.Combine(_dir, "master.d", "bad.conf"), StringComparison.Ordinal));
        Assert.Contains(config.Errors, e => e.Contains("not a mapping", StringComparison.Ordinal));
    }
}
