using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Protocol.Highstate;

namespace Spiro.Core.Tests.Highstate;

public sealed class HighstateResultStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-hsr-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Query_ReturnsRunsOfThatReleaseAndSaltEnvOnly_InOrder()
    {
        var store = new HighstateResultStore(MetadataDatabase.Open(Path.Combine(_directory, "spiro.db")));
        var dev = new SaltEnvName("foo", "dev");
        var at = new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
        var failing = new StateResult("id", "name", "cmd.run", "sls", false, false, "it broke\nbadly", 0, int.MaxValue);
        var failed = new MinionSummary("m1", MinionOutcome.Failed, 1, 2, 3, 1, [failing], [], 12.5, 2);
        var missing = MinionSummary.NeverReturned("m2");
        store.Record(new HighstateRun("run-a", "r1", dev, Test: true, at, [failed, missing]));
        store.Record(new HighstateRun("run-b", "r1", dev, Test: false, at.AddMinutes(1), [failed]));
        store.Record(new HighstateRun("run-c", "r2", dev, Test: false, at, [failed]));
        store.Record(new HighstateRun("run-d", "r1", new SaltEnvName("foo", "prod"), Test: false, at, [failed]));

        var runs = store.Query("r1", dev);

        Assert.Equal(["run-a", "run-b"], runs.Select(run => run.RunId));
        Assert.True(runs[0].Test);
        Assert.Equal(at, runs[0].FinishedAt);
        Assert.Equal(failed with { States = runs[0].Minions[0].States, Errors = runs[0].Minions[0].Errors }, runs[0].Minions[0]);
        Assert.Equal(failed.FailingStates, runs[0].Minions[0].FailingStates);
        Assert.Equal(MinionOutcome.NoReturn, runs[0].Minions[1].Outcome);
        Assert.Equal(missing.Errors, runs[0].Minions[1].Errors);
    }
}
