using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

public sealed class LargeUploadTests
{
    private const long TwoGiB = 2L << 30;

    [Fact]
    public async Task CompatDeploy_Of2GiBBundle_StreamsToDiskWithFlatMemory()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with
        {
            MaxBodySize = 3L << 30,
            BundleLimits = o.BundleLimits with { MaxTotalBytes = 3L << 30, MaxFileBytes = 3L << 30 },
        });
        var token = server.Issue(["big"]);
        var boundary = Guid.NewGuid().ToString("N");
        using var content = new GeneratedTarContent(TwoGiB, boundary);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", $"bearer {token}");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = WorkingSet();
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, WorkingSet());
                await Task.Delay(50, CancellationToken.None);
            }
        });

        using var response = await server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("deploy-bundle", body, StringComparison.Ordinal);
        Assert.Equal(TwoGiB, content.Sent);
        Assert.Equal(TwoGiB, new FileInfo(Path.Combine(server.Data, "envs", "big", "dev", "big.bin")).Length);
        var growth = peak - baseline;
        Assert.True(growth < 200L << 20, $"working set grew by {growth >> 20} MiB while streaming 2 GiB");
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
