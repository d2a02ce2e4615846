using System.Diagnostics;
using System.Net;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Deploys;

/// <summary>The spiro engine supervises `spiro serve` inside the real master.</summary>
[Collection(SaltLabFixture.Collection)]
public sealed class EngineTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task Engine_WhenSpiroServeIsKilled_StartsItAgain()
    {
        var lab = salt.Lab;
        var before = Assert.Single(lab.Processes("master", " serve "));

        Process.GetProcessById(before).Kill();

        using var client = lab.CreateHttpClient();
        var clock = Stopwatch.StartNew();
        int? after = null;
        HttpStatusCode? status = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(90) && status is null)
        {
            await Task.Delay(500);
            after = lab.Processes("master", " serve ").SingleOrDefault();
            try
            {
                status = (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode;
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the engine restarts it after a back-off.
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.NotNull(after);
        Assert.NotEqual(before, after);
        Assert.Contains("restarting", await File.ReadAllTextAsync(lab.Layout.MasterLog), StringComparison.Ordinal);
    }
}
