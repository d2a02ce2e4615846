using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.Bundles;

/// <summary>What the client puts on the wire: compared with what the original Python client built for the same tree.</summary>
public sealed class BundleOnTheWireTests : IDisposable
{
    private readonly TempDirectory scratch = new();
    private readonly TestRepository repo = TestRepository.CreateTypical();

    private string BodyFile => Path.Combine(scratch.Path, "body");

    public void Dispose()
    {
        repo.Dispose();
        scratch.Dispose();
    }

    private Task<CliResult> DeployAsync(CaptureServer server, params string[] extra) =>
        CliRun.RunAsync([.. new[] { "--token", "tok-123", "--server", server.Url.ToString(), "--project-dir", repo.Path }, .. extra, "foo", "dev"]);

    [Fact]
    public async Task V1Upload_IsAGzipChunkedRawBody_WithTheBearerTokenAndQuery()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile);

        var result = await DeployAsync(server, "--test");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var upload = server.Upload;
        Assert.Equal("/api/v1/deploys?project=foo&deployment=dev&highstate=true&test=true", upload.PathAndQuery);
        Assert.Equal("bearer tok-123", upload.Authorization);
        Assert.Null(upload.ContentLength);
        Assert.Equal("chunked", upload.TransferEncoding);
        var magic = File.ReadAllBytes(BodyFile)[..2];
        Assert.Equal(new byte[] { 0x1f, 0x8b }, magic);
        Assert.Contains("f app/init.sls", TarEntries.ListFile(BodyFile, gzip: true));
    }

    [Fact]
    public async Task CompatibleUpload_IsMultipart_WithFieldsFirst_HighstateTrue_AndAnUncompressedTar()
    {
        await using var server = await CaptureServer.StartAsync(v1: false, BodyFile);

        var result = await DeployAsync(server);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("/", server.Upload.PathAndQuery);
        var (fields, tar) = await ReadFormAsync(server.Upload.ContentType!);
        Assert.Equal(["project=foo", "deployment=dev", "highstate=True"], fields);
        Assert.Contains("f app/init.sls", TarEntries.ListFile(tar));
    }

    [Fact]
    public async Task CompatibleUpload_WithoutHighstate_LeavesTheFieldOut()
    {
        await using var server = await CaptureServer.StartAsync(v1: false, BodyFile);

        var result = await DeployAsync(server, "--no-highstate");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var (fields, _) = await ReadFormAsync(server.Upload.ContentType!);
        Assert.Equal(["project=foo", "deployment=dev"], fields);
    }

    [Fact]
    public async Task Bundle_WithArtifactsAndGitSource_HasTheOriginalClientsEntries()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile);

        var result = await DeployAsync(server, "--artifact", "dist/app.tar.gz", "--artifact", "dist/extra", "--include-source", "git");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var expected = TarEntries.Original(repo.Path, "_salt", "git", "dist/app.tar.gz", "dist/extra");
        Assert.Equal(TarEntries.Tree(expected), TarEntries.Tree(TarEntries.ListFile(BodyFile, gzip: true)));
        Assert.Contains("f _artifacts/dist/extra/notes.txt", expected);
        Assert.Contains("f _source/src/main.py", expected);
    }

    [Fact]
    public async Task Bundle_WithFilesystemSource_HasTheOriginalClientsEntries()
    {
        repo.Write("src/uncommitted.py", "x = 1\n");
        await using var server = await CaptureServer.StartAsync(v1: false, BodyFile);

        var result = await DeployAsync(server, "--include-source", "fs");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var (_, tar) = await ReadFormAsync(server.Upload.ContentType!);
        var expected = TarEntries.Original(repo.Path, "_salt", "fs");
        Assert.Equal(TarEntries.Tree(expected), TarEntries.Tree(TarEntries.ListFile(tar)));
        Assert.Contains("f _source/src/uncommitted.py", expected);
    }

    [Fact]
    public async Task GitCommit_IsTheHeadCommitAndDescribeAll()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile);

        var result = await DeployAsync(server);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var head = repo.Git("rev-parse", "HEAD");
        // The original wrote no final newline; one more is harmless to readers of the first two lines.
        Assert.Equal($"{head}\nheads/main", TarEntries.Read(BodyFile, ".gitcommit", gzip: true)?.TrimEnd('\n'));
    }

    [Fact]
    public async Task WithoutARepository_TheBundleHasNoGitCommit_AndAWarningSaysSo()
    {
        using var plain = TestRepository.CreateTypical(commit: false);
        await using var server = await CaptureServer.StartAsync(v1: true, BodyFile);

        var result = await CliRun.RunAsync("--token", "t", "--server", server.Url.ToString(), "--project-dir", plain.Path, "foo", "dev");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("warning: no .gitcommit", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("f .gitcommit", TarEntries.ListFile(BodyFile, gzip: true));
        Assert.Equal(TarEntries.Tree(TarEntries.Original(plain.Path, "_salt", null)), TarEntries.Tree(TarEntries.ListFile(BodyFile, gzip: true)));
    }

    /// <summary>The form fields before the file part, and the file part saved as a tar.</summary>
    private async Task<(List<string> Fields, string Tar)> ReadFormAsync(string contentType)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).Value!;
        await using var body = File.OpenRead(BodyFile);
        var reader = new MultipartReader(boundary, body);
        var fields = new List<string>();
        var tar = Path.Combine(scratch.Path, "bundle.tar");
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value!;
            if (name == "bundle")
            {
                await using var file = File.Create(tar);
                await section.Body.CopyToAsync(file);
            }
            else
            {
                fields.Add($"{name}={await new StreamReader(section.Body).ReadToEndAsync()}");
            }
        }

        return (fields, tar);
    }
}
