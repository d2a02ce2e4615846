using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Spiro.Cli.Tests.Releases;

namespace Spiro.Cli.Tests.Server;

/// <summary>A real <c>spiro serve</c> killed (kill -9, a fault point) past the flip of a deploy, then started again.</summary>
public sealed class ServeCrashTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Deploy_ServerKilledPastTheFlip_RowRecordsTheReleaseThatWentLiveAfterRestart()
    {
        var issued = await _cli.RunAsync("token", "issue", "foo", "--label", "ci");
        Assert.Equal(0, issued.ExitCode);
        var token = issued.Output.Trim();
        var bundle = await File.ReadAllBytesAsync(_cli.Bundle("b.tar", new Dictionary<string, string> { ["init.sls"] = "x: 1\n" }));

        string deployId;
        var port = FreePort();
        using (var crashing = _cli.Start(new Dictionary<string, string> { ["SPIRO_FAULT_KILL_AT"] = "record" }, Serve(port)))
        {
            using var client = await ClientAsync(port, crashing);
            using var request = Deploy(token, bundle);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            deployId = response.Headers.GetValues("X-Spiro-Deploy-Id").Single();
            await crashing.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(137, crashing.ExitCode); // SIGKILL at the fault point, after the flip
        }

        var live = Path.GetFileName(new FileInfo(Path.Combine(_cli.Data, "envs", "foo", "dev")).LinkTarget);
        Assert.NotNull(live);

        port = FreePort();
        using var restarted = _cli.Start(null, Serve(port));
        try
        {
            using var client = await ClientAsync(port, restarted);
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/deploys/{deployId}");
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await client.SendAsync(get);
            var deploy = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;

            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("abandoned", deploy["status"]!.GetValue<string>());
            Assert.Equal(live, deploy["release"]?.GetValue<string>());

            using var events = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/deploys/{deployId}/events");
            events.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var stream = await (await client.SendAsync(events)).Content.ReadAsStringAsync();
            Assert.Contains("event: deploy-finish", stream, StringComparison.Ordinal);
            Assert.Contains($"release {live} went live", stream, StringComparison.Ordinal);
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }
    }

    private static string[] Serve(int port) => ["serve", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--salt-command", "none"];

    private static HttpRequestMessage Deploy(string token, byte[] bundle)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deploys?project=foo&deployment=dev") { Content = new ByteArrayContent(bundle) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<HttpClient> ClientAsync(int port, Process server)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(2) };
            }
            catch (SocketException) when (!server.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(100);
            }
        }
    }
}
