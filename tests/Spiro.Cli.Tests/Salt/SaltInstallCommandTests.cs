using System.CommandLine;
using System.Reflection;
using Spiro.Cli.Salt;

namespace Spiro.Cli.Tests.Salt;

public sealed class SaltInstallCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spiro-salt-install-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepoRoot => typeof(SaltInstallCommandTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in Verbs.All())
        {
            root.Subcommands.Add(command);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Install_CopiesTheFourModules_ByteForByteAsInTheRepository()
    {
        var (code, _, error) = Run("salt", "install", "--dir", _dir);

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var relative in new[] { "fileserver/spiro.py", "runners/spiro.py", "engines/spiro.py", "tops/spiro.py" })
        {
            var installed = Path.Combine(_dir, relative);
            Assert.Equal(File.ReadAllBytes(Path.Combine(RepoRoot, "salt", relative)), File.ReadAllBytes(installed));
            Assert.Contains(installed, error, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.True((File.GetUnixFileMode(installed) & UnixFileMode.OtherRead) != 0, "the salt-master user must read it");
            }
        }

        Assert.Empty(Directory.GetFiles(_dir, "*.spiro-tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Install_OverwritesAnOlderAdapter()
    {
        var stale = Path.Combine(_dir, "fileserver", "spiro.py");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllText(stale, "old");

        Assert.Equal(ExitCodes.Ok, Run("salt", "install", "--dir", _dir).Code);

        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoRoot, "salt", "fileserver", "spiro.py")), File.ReadAllBytes(stale));
    }

    [Fact]
    public void Install_PrintsTheMasterConfigNamingEveryKey()
    {
        var data = Path.Combine(_dir, "store");

        var (_, output, _) = Run("salt", "install", "--dir", _dir, "--data", data, "--port", "4600");

        Assert.Contains($"module_dirs:\n  - {_dir}\n", output, StringComparison.Ordinal);
        Assert.Contains("fileserver_backend:\n  - roots\n  - spiro\n", output, StringComparison.Ordinal);
        Assert.Contains("spiro_update_interval: ", output, StringComparison.Ordinal);
        Assert.Contains($"spiro_data: {data}\n", output, StringComparison.Ordinal);
        Assert.Contains("engines:\n  - spiro:\n      port: 4600\n      ssl_crt: ", output, StringComparison.Ordinal);
        Assert.Contains("      ssl_key: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void PrintConfig_CopiesNothing()
    {
        var (code, output, _) = Run("salt", "install", "--dir", _dir, "--print-config");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("fileserver_backend:", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Install_WithoutScale_PrintsNoMasterTops()
    {
        var (_, output, _) = Run("salt", "install", "--dir", _dir, "--print-config");

        Assert.DoesNotContain("master_tops", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_WithScale_PrintsTheSeedConfigPlusTheSpiroMasterTops()
    {
        var (code, scaled, _) = Run("salt", "install", "--dir", _dir, "--print-config", "--scale");
        var (_, plain, _) = Run("salt", "install", "--dir", _dir, "--print-config");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("\nmaster_tops:\n  spiro: {}\n", scaled, StringComparison.Ordinal);
        // Everything of the default config is still there, unchanged: scale mode is one added key.
        var added = scaled.Split('\n').Except(plain.Split('\n')).ToList();
        Assert.All(added, line => Assert.True(line.StartsWith('#') || line is "master_tops:" or "  spiro: {}", line));
        Assert.Empty(plain.Split('\n').Except(scaled.Split('\n')));
    }

    [Fact]
    public void Install_WithoutDir_IsAUsageError()
    {
        Assert.NotEqual(ExitCodes.Ok, Run("salt", "install").Code);
    }

    [Theory]
    [InlineData("/srv/salt modules", "'/srv/salt modules'")]
    [InlineData("/srv/it's", "'/srv/it''s'")]
    [InlineData("/srv/salt-modules", "/srv/salt-modules")]
    public void MasterConfig_QuotesPathsThatNeedIt(string path, string expected)
    {
        Assert.Contains($"  - {expected}\n", MasterConfig.Render(path, "/d", null, 4510), StringComparison.Ordinal);
    }
}
