using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;
using ZstdSharp;

namespace Spiro.Deploy.Tests.Bundles;

/// <summary><c>--compress</c>: what goes on the wire, that the real server takes it, and the refusals.</summary>
public sealed class CompressionTests : IDisposable
{
    private static readonly string[] AllFeatures = ["gzip", "zstd", "resume", "test-highstate"];

    private readonly TempDirectory scratch = new();
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public CompressionTests() => repo.Write("_salt/spirotop.sls", "prod:\n  '*':\n    - app\n");

    private string BodyFile => Path.Combine(scratch.Path, "body");

    public void Dispose()
    {
        repo.Dispose();
        scratch.Dispose();
    }

    private Task<CliResult> DeployAsync(Uri server, string token, params string[] extra) =>
        CliRun.RunAsync([.. new[] { "--token", token, "--server", server.ToString(), "--project-dir", repo.Path }, .. extra, "foo", "prod"]);

    [Fact]
    public async Task Zstd_IsSentAsAZstdBody_DeclaredAsApplicationZstd()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile, AllFeatures);

        var result = await DeployAsync(server.Url, "tok", "--compress", "zstd");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("application/zstd", server.Upload.ContentType);
        Assert.Equal(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }, File.ReadAllBytes(BodyFile)[..4]);
        using var decoded = new DecompressionStream(File.OpenRead(BodyFile));
        Assert.Contains("f app/init.sls", TarEntries.List(decoded));
        Assert.Contains("(v1 API, zstd)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task None_IsSentAsAPlainTar_DeclaredAsApplicationXTar()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile, AllFeatures);

        var result = await DeployAsync(server.Url, "tok", "--compress", "none");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("application/x-tar", server.Upload.ContentType);
        Assert.Contains("f app/init.sls", TarEntries.ListFile(BodyFile));
    }

    [Fact]
    public async Task Auto_OnAServerOfferingZstd_StillSendsGzip()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile, AllFeatures);

        var result = await DeployAsync(server.Url, "tok");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("application/gzip", server.Upload.ContentType);
        Assert.Contains("f app/init.sls", TarEntries.ListFile(BodyFile, gzip: true));
    }

    [Fact]
    public async Task Auto_OnAServerWithoutGzip_SendsPlainTar()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile, ["resume"]);

        var result = await DeployAsync(server.Url, "tok");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("application/x-tar", server.Upload.ContentType);
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("none")]
    [InlineData("gzip")]
    public async Task Deploy_ToTheRealServer_SucceedsWithEachCompression(string compress)
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));

        var result = await DeployAsync(server.Url, server.Issue("foo"), "--compress", compress);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains(result.StdoutLines, l => l.StartsWith("Published release ", StringComparison.Ordinal));
        Assert.Contains("Deploy succeeded (1 minion)", result.StdoutLines);
    }

    [Fact]
    public async Task Zstd_OnAServerNotOfferingIt_IsAUsageErrorNamingItsFeatures_AndSendsNothing()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile, ["gzip", "resume"]);

        var result = await DeployAsync(server.Url, "tok", "--compress", "zstd");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("does not offer zstd (its features: gzip, resume)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Method == "POST");
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("gzip")]
    public async Task Compression_OnACompatibleOnlyServer_IsAUsageError(string compress)
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p => p.HideV1 = true);

        var result = await DeployAsync(proxy.Url, server.Issue("foo"), "--compress", compress);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("only the compatible endpoint", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task None_OnACompatibleOnlyServer_Deploys()
    {
        await using var server = await CaptureServer.StartAsync(v1: false, BodyFile);

        var result = await DeployAsync(server.Url, "tok", "--compress", "none");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.StartsWith("multipart/form-data", server.Upload.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCompression_IsAUsageError()
    {
        var result = await DeployAsync(new Uri("http://127.0.0.1:9/"), "tok", "--compress", "brotli");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--compress takes auto, gzip, zstd or none, not 'brotli'", result.Stderr, StringComparison.Ordinal);
    }
}
