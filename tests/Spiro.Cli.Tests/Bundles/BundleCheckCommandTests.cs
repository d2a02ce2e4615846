using System.CommandLine;
using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Spiro.Protocol.Bundles;

namespace Spiro.Cli.Tests.Bundles;

public sealed class BundleCheckCommandTests : IDisposable
{
    private const string HelloDevTop = "'hello/dev':\n  '*':\n  - hello\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("spiro-bundle-check-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Example => Path.Combine(
        typeof(BundleCheckCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!,
        "examples", "hello");

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in Verbs.All())
        {
            root.Subcommands.Add(command);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private string WriteBundle(string name, Action<TarWriter> write)
    {
        var path = Path.Combine(_dir, name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            write(writer);
        }

        return path;
    }

    [Fact]
    public async Task Check_OnExampleProject_PrintsSummaryAndGeneratedTopFile()
    {
        var (code, output, error) = await RunAsync("bundle", "check", Example, "--project", "hello", "--deployment", "dev", "--artifact", "build/hello.txt");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.StartsWith("bundle for hello/dev: valid\n", output, StringComparison.Ordinal);
        Assert.Contains("  directories:    3 (0 empty)\n", output, StringComparison.Ordinal);
        Assert.Matches(@"  files:          [34] \(\d+ bytes\)\n", output);
        Assert.Matches(@"  source commit:  ([0-9a-f]{40} \(.+\)|none)\n", output);
        Assert.Contains("  top file:       top.sls (generated from spirotop.sls):\n    'hello/dev':\n      '*':\n      - hello\n", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Check_OnExampleProjectWithJson_ReportsEveryFieldAndTheProdSectionForProd()
    {
        var (code, output, _) = await RunAsync("bundle", "check", Example, "-p", "hello", "-d", "prod", "-a", "build/hello.txt", "--json");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("hello/prod", root.GetProperty("saltenv").GetString());
        Assert.True(root.GetProperty("valid").GetBoolean());
        Assert.Equal(3, root.GetProperty("directories").GetInt32());
        Assert.Equal(0, root.GetProperty("empty_directories").GetInt32());
        Assert.Equal("generated", root.GetProperty("top_file").GetProperty("kind").GetString());
        Assert.Equal(HelloDevTop.Replace("hello/dev", "hello/prod", StringComparison.Ordinal), root.GetProperty("top_file").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Check_OnBundleFileBuiltLikeSpiroDeploy_MatchesTheDirectoryCheck()
    {
        var path = Path.Combine(_dir, "hello.tar");
        await using (var file = File.Create(path))
        {
            await BundleBuilder.WriteAsync(new BundleSpec(Example, "_salt", ["build/hello.txt"], null, "0123456789abcdef0123456789abcdef01234567\nheads/main\n"), file, CancellationToken.None);
        }

        var (code, output, _) = await RunAsync("bundle", "check", path, "--project", "hello", "--deployment", "dev");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("  files:          4 (", output, StringComparison.Ordinal);
        Assert.Contains("  source commit:  0123456789abcdef0123456789abcdef01234567 (heads/main)\n", output, StringComparison.Ordinal);
        Assert.Contains("'hello/dev':", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_OnTraversalBundle_IsRejectedNamingEntryAndRule()
    {
        var path = WriteBundle("evil.tar.gz", w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "top.sls") { DataStream = new MemoryStream("base: {}\n"u8.ToArray()) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "web/../../../etc/cron.d/evil") { DataStream = new MemoryStream("x"u8.ToArray()) });
        });

        var (code, output, error) = await RunAsync("bundle", "check", path, "--project", "hello", "--deployment", "dev");

        Assert.Equal(ExitCodes.Rejected, code);
        Assert.Empty(output);
        Assert.Equal("bundle for hello/dev rejected: entry 'web/../../../etc/cron.d/evil' has a '..' segment (rule dot-dot)\n", error);
    }

    [Fact]
    public async Task Check_OnRejectedBundleWithJson_ReportsTheRejection()
    {
        var path = WriteBundle("fifo.tar.gz", w => w.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "pipe")));

        var (code, output, _) = await RunAsync("bundle", "check", path, "-p", "hello", "-d", "dev", "--json");

        Assert.Equal(ExitCodes.Rejected, code);
        using var json = JsonDocument.Parse(output);
        var rejection = json.RootElement.GetProperty("rejection");
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("special-file", rejection.GetProperty("rule").GetString());
        Assert.Equal("pipe", rejection.GetProperty("entry").GetString());
    }

    [Fact]
    public async Task Check_WithMalformedSpirotop_IsRejectedWithFileLineAndColumn()
    {
        var project = Path.Combine(_dir, "broken");
        Directory.CreateDirectory(Path.Combine(project, "_salt"));
        await File.WriteAllTextAsync(Path.Combine(project, "_salt", "spirotop.sls"), "dev:\n  '*': [unclosed\n", Encoding.UTF8);

        var (code, _, error) = await RunAsync("bundle", "check", project, "--project", "broken", "--deployment", "dev");

        Assert.Equal(ExitCodes.Rejected, code);
        Assert.Contains("bundle for broken/dev: invalid top file\n", error, StringComparison.Ordinal);
        Assert.Matches(@"top file:       invalid: spirotop\.sls:\d+:\d+: ", error);
    }

    [Theory]
    [InlineData("--project", "hello", "--deployment", "../dev")]
    [InlineData("--project", "", "--deployment", "dev")]
    [InlineData("--deployment", "dev")]
    public async Task Check_WithBadNames_IsUsageErrorQuotingTheRule(params string[] names)
    {
        var (code, output, error) = await RunAsync(["bundle", "check", Example, .. names]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Contains("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithMissingInputSaltDirOrArtifact_IsUsageError()
    {
        Assert.Equal(ExitCodes.Usage, (await RunAsync("bundle", "check", "-p", "hello", "-d", "dev")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("bundle", "check", Path.Combine(_dir, "missing.tar"), "-p", "hello", "-d", "dev")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("bundle", "check", Example, "-p", "hello", "-d", "dev", "--salt-dir", "_nothing")).Code);

        var (code, _, error) = await RunAsync("bundle", "check", Example, "-p", "hello", "-d", "dev", "--artifact", "build/missing.bin");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("artifact 'build/missing.bin' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_OnProjectWithEscapingSymlink_IsRejectedWhileTheBuilderIsStillWriting()
    {
        var project = Path.Combine(_dir, "leaky");
        Directory.CreateDirectory(Path.Combine(project, "_salt"));
        await File.WriteAllTextAsync(Path.Combine(project, "_salt", "init.sls"), "a: test.nop\n", Encoding.UTF8);
        File.CreateSymbolicLink(Path.Combine(project, "_salt", "passwd"), "/etc/passwd");
        await using (var big = File.Create(Path.Combine(project, "big.bin")))
        {
            big.SetLength(64L << 20); // an artifact the builder is still streaming when the reader gives up
        }

        var (code, _, error) = await RunAsync("bundle", "check", project, "-p", "leaky", "-d", "dev", "--artifact", "big.bin");

        Assert.Equal(ExitCodes.Rejected, code);
        Assert.Equal("bundle for leaky/dev rejected: entry 'passwd' is a symlink to absolute path '/etc/passwd' outside the bundle (rule link-escapes)\n", error);
    }
}
