using Spiro.Core.Deploys;
using Spiro.Core.Metadata;

namespace Spiro.Core.Tests.Deploys;

public sealed class DeployLogFinishTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-deploylog-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AppendFinish_WritesTheLastEventAndTheFinishedRowTogether()
    {
        var log = new DeployLog(MetadataDatabase.Open(Path.Combine(_directory, "spiro.db")), TimeProvider.System);
        log.Create("d1", "foo/dev", "token:ci", highstate: true, test: false);
        Assert.Equal(1, log.Append("d1", "deploy-start", "{}"));

        var seq = log.AppendFinish("d1", "deploy-finish", "{\"status\":\"failed\"}", "failed");

        Assert.Equal(2, seq);
        Assert.Equal(["deploy-finish"], log.EventsAfter("d1", 1).Select(e => e.Name));
        var row = log.Find("d1")!;
        Assert.Equal("failed", row.Status);
        Assert.NotNull(row.Finished);
    }

    [Fact]
    public void AppendFinish_OnAFinishedDeploy_KeepsItsStatus()
    {
        // Recovery may have marked it abandoned first: the row's first end stands.
        var log = new DeployLog(MetadataDatabase.Open(Path.Combine(_directory, "spiro.db")), TimeProvider.System);
        log.Create("d1", "foo/dev", "token:ci", highstate: false, test: false);
        log.Finish("d1", "abandoned");

        log.AppendFinish("d1", "deploy-finish", "{}", "succeeded");

        Assert.Equal("abandoned", log.Find("d1")!.Status);
    }
}
