using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Spiro.Core.Tokens;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

/// <summary>The compatible <c>POST /</c> holds nothing for clients it has not authenticated and only a few bounded fields for those it has.</summary>
public sealed class CompatUploadGuardTests
{
    private const string Boundary = "guardboundary";
    private const long TwoGiB = 2L << 30;
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task CompatDeploy_WithUnknownTokenAndEndlessDistinctFields_Is401BeforeAnyBodyByteIsRead()
    {
        await using var server = await TestServer.StartAsync();
        var headers = Headers(TokenSecret.Generate());

        string? status;
        long sent;
        await using (var upload = await RawUpload.StartAsync(server.BaseAddress, "/", headers, TwoGiB, Field("f0", "x"), i => Fields(i)))
        {
            status = await upload.StatusLineAsync(AnswerWithin);
            sent = upload.Sent;
        }

        Assert.Equal("HTTP/1.1 401 Unauthorized", status);
        Assert.True(sent < TwoGiB, $"the client had sent {sent} bytes");
        Assert.Contains("spiro_bytes_received_total 0\n", await Metrics(server), StringComparison.Ordinal);
        Assert.Contains("spiro_unauthenticated_requests_total{reason=\"unknown token\"} 1\n", await Metrics(server), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Audit.Read(), row => row.Action == "deploy");
    }

    [Fact]
    public async Task CompatDeploy_WithTokenForAnotherProject_Is403BeforeTheBundleIsRead()
    {
        await using var server = await TestServer.StartAsync();
        var headers = Headers(server.Issue(["bar"]));
        byte[] prefix = [.. Field("project", "foo"), .. Field("deployment", "dev"), .. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.tar\"\r\n\r\n")];

        string? status;
        await using (var upload = await RawUpload.StartAsync(server.BaseAddress, "/", headers, TwoGiB, prefix, _ => new byte[4096]))
        {
            status = await upload.StatusLineAsync(AnswerWithin);
        }

        Assert.Equal("HTTP/1.1 403 Forbidden", status);
        Assert.Null(server.LiveRelease("foo", "dev"));
        Assert.Contains(server.Audit.Read(), row => row.Action == "deploy" && row.Outcome == "refused" && row.Target == "foo/dev");
    }

    [Fact]
    public async Task CompatDeploy_WithMoreThanAHandfulOfParts_Is400()
    {
        await using var server = await TestServer.StartAsync();
        var body = new List<byte>();
        for (var i = 0; i < 20; i++)
        {
            body.AddRange(Field($"extra{i}", "x"));
        }

        body.AddRange(Field("project", "foo"));
        body.AddRange(Field("deployment", "dev"));
        body.AddRange(Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.tar\"\r\n\r\n"));
        body.AddRange(Bundles.Hello());
        body.AddRange(Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n"));
        using var request = Multipart(server.Issue(["foo"]), [.. body]);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 8 form parts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(server.LiveRelease("foo", "dev"));
        Assert.DoesNotContain(server.Audit.Read(), row => row.Action == "deploy" && row.Outcome == "ok");
    }

    [Fact]
    public async Task CompatDeploy_WithBodyEndingInsideAField_Is400NotAServerError()
    {
        await using var server = await TestServer.StartAsync();
        byte[] body = [.. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"project\"\r\n\r\nfo")];
        using var request = Multipart(server.Issue(["foo"]), body);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ends inside a form part", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(server.LiveRelease("foo", "dev"));
    }

    [Fact]
    public async Task CompatDeploy_WithBodyEndingInsideTheBundlePart_Is400AndNothingIsPublished()
    {
        await using var server = await TestServer.StartAsync();
        var tar = Bundles.Hello();
        byte[] body = [
            .. Field("project", "foo"), .. Field("deployment", "dev"),
            .. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.tar\"\r\n\r\n"),
            .. tar.AsSpan(0, tar.Length / 2)];
        using var request = Multipart(server.Issue(["foo"]), body);

        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("ends inside the bundle", text, StringComparison.Ordinal);
        Assert.Null(server.LiveRelease("foo", "dev"));
    }

    [Theory]
    [InlineData("highstate=maybe", "highstate='maybe'")]
    [InlineData("highstate=false&test=sure", "test='sure'")]
    public async Task ApiDeploy_WithFlagThatIsNeitherTrueNorFalse_Is400NamingIt(string flags, string named)
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/deploys?project=foo&deployment=dev&{flags}")
        {
            Content = new ByteArrayContent(Bundles.Hello()),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Issue(["foo"]));

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(server.LiveRelease("foo", "dev"));
    }

    [Fact]
    public async Task CompatDeploy_WithAnUnknownExtraField_IgnoresItAndDeploys()
    {
        await using var server = await TestServer.StartAsync();
        byte[] body =
        [
            .. Field("project", "foo"), .. Field("deployment", "dev"), .. Field("comment", "not kept"),
            .. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.tar\"\r\n\r\n"),
            .. Bundles.Hello(), .. Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n"),
        ];
        using var request = Multipart(server.Issue(["foo"]), body);

        using var response = await server.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(server.LiveRelease("foo", "dev"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/v1/deploys?project=foo&deployment=dev")]
    public async Task Deploy_WithValidTokenAndContentLengthOverTheLimit_Is413AndAuditedAsRefusedWithTheReason(string path)
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxBodySize = 256 });
        using var request = Multipart(server.Issue(["foo"]), new byte[4096]);
        request.RequestUri = new Uri(path, UriKind.Relative);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var rows = server.Audit.Read().Where(row => row.Action == "deploy").ToList();
        var row = Assert.Single(rows);
        Assert.Equal("refused", row.Outcome);
        Assert.Contains("exceeds the limit of 256 bytes", row.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompatDeploy_FromAClientSlowerThanTheMinimumRate_IsCutOffAfterTheGracePeriod()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MinRequestBodyRate = 1024, MinRequestBodyRateGrace = TimeSpan.FromSeconds(2) });
        var headers = Headers(server.Issue(["foo"]));
        byte[] prefix = [.. Field("project", "foo"), .. Field("deployment", "dev"), .. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.tar\"\r\n\r\n")];
        var clock = System.Diagnostics.Stopwatch.StartNew();

        string? status;
        await using (var upload = await RawUpload.StartAsync(server.BaseAddress, "/", headers, 1L << 20, prefix, _ => new byte[1]))
        {
            // About 100 bytes a second (one byte, then a 10 ms pause), far below 1024.
            status = await upload.StatusLineAsync(AnswerWithin);
        }

        Assert.Equal("HTTP/1.1 408 Request Timeout", status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), AnswerWithin);
        Assert.Null(server.LiveRelease("foo", "dev"));
    }

    private static string[] Headers(string token) =>
        [$"Authorization: bearer {token}", $"Content-Type: multipart/form-data; boundary={Boundary}"];

    private static byte[] Field(string name, string value) =>
        Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");

    // Many small fields with distinct names: what a client would send to make a naive reader keep them all.
    private static byte[] Fields(long chunk) =>
        [.. Enumerable.Range(0, 64).SelectMany(i => Field($"f{chunk}-{i}", "x"))];

    private static HttpRequestMessage Multipart(string token, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        request.Headers.TryAddWithoutValidation("Authorization", $"bearer {token}");
        return request;
    }

    private static Task<string> Metrics(TestServer server) => server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
}
