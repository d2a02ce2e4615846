using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

/// <summary>How the v1 deploy endpoint reads its body on real Kestrel (64 KiB receive blocks, Expect: 100-continue), and that its limits still hold.</summary>
public sealed class DeployBodyTests
{
    [Fact]
    public async Task Deploy_WithExpectContinue_GetsContinueBeforeSendingTheBody_ThenPublishes()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        var bundle = Bundles.Hello();
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        var head = $"POST /api/v1/deploys?project=foo&deployment=dev HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n"
            + $"Content-Type: application/x-tar\r\nExpect: 100-continue\r\nContent-Length: {bundle.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        // Before the fix the event stream's "200 OK" came first and the client waited out its own timeout.
        Assert.Equal("HTTP/1.1 100 Continue", await ReadLineAsync(stream, TimeSpan.FromSeconds(10)));
        await stream.WriteAsync(bundle);
        var response = await ReadUntilAsync(stream, "deploy-finish", TimeSpan.FromSeconds(30));

        Assert.Contains("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"succeeded\"", response, StringComparison.Ordinal);
        Assert.NotNull(server.LiveRelease("foo", "dev"));
    }

    [Fact]
    public async Task Deploy_WithChunkedBodyOverMaxBodySize_EndsTooLargeAndLiveReleaseUnchanged()
    {
        // Larger than a receive block, so the limit trips across many reads, not in the first one.
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxBodySize = 300 << 10 });
        var token = server.Issue(["foo"]);
        await DeployAsync(server, token, new ByteArrayContent(Bundles.Hello()));
        var live = server.LiveRelease("foo", "dev");
        var big = Spiro.Testing.Tars.TestTar.Bytes(("web/init.sls", "x: y\n"), ("big.bin", new string('a', 1 << 20)));

        // A stream of unknown length goes out chunked: no Content-Length for the header check to refuse.
        var events = await DeployAsync(server, token, new StreamContent(new NoLengthStream(big)));

        Assert.Contains("exceeds the limit of 307200 bytes (max_body_size)", events, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"too-large\"", events, StringComparison.Ordinal);
        Assert.Equal(live, server.LiveRelease("foo", "dev"));
    }

    [Fact]
    public async Task Deploy_WithConnectionClosedBeforeItsContentLength_EndsFailedAndLiveReleaseUnchanged()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        await DeployAsync(server, token, new ByteArrayContent(Bundles.Hello()));
        var live = server.LiveRelease("foo", "dev");
        var bundle = Spiro.Testing.Tars.TestTar.Bytes(("web/init.sls", "x: y\n"), ("big.bin", new string('b', 512 << 10)));
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
            var stream = client.GetStream();
            var head = $"POST /api/v1/deploys?project=foo&deployment=dev HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n"
                + $"Content-Type: application/x-tar\r\nContent-Length: {bundle.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(bundle.AsMemory(0, bundle.Length / 2));
            await ReadLineAsync(stream, TimeSpan.FromSeconds(30));
        }

        // Nobody is left to read the events: the deploy's record says how it ended.
        var deploy = await NewestFinishedAsync(server, token, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", deploy["status"]!.GetValue<string>());
        Assert.Equal(live, server.LiveRelease("foo", "dev"));
    }

    private static async Task<JsonNode> NewestFinishedAsync(TestServer server, string token, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var request = DeployApiTests.Authorized(HttpMethod.Get, "/api/v1/saltenvs/foo/dev/deploys", token);
            var newest = JsonNode.Parse(await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync())!.AsArray()[0]!;
            if (newest["status"]!.GetValue<string>() is not "running" || clock.Elapsed > timeout)
            {
                return newest;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<string> DeployAsync(TestServer server, string token, HttpContent content)
    {
        using var request = DeployApiTests.Authorized(HttpMethod.Post, "/api/v1/deploys?project=foo&deployment=dev", token);
        request.Content = content;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancel.Token) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        // Skip the empty line that ends the interim response.
        await stream.ReadExactlyAsync(new byte[2], cancel.Token);
        return line.ToString().TrimEnd('\r');
    }

    private static async Task<string> ReadUntilAsync(NetworkStream stream, string marker, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        // The event stream is chunked: read until its last chunk after the marker, or until the server closes.
        while (!text.ToString().Contains(marker, StringComparison.Ordinal) || !text.ToString().EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, cancel.Token);
            if (n == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    /// <summary>A stream that hides its length, so HttpClient sends it chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
