using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Protocol.Highstate;

namespace Spiro.Cli.Tests.Highstate;

public sealed class QueryHighstateCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("spiro-qh-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task QueryHighstate_Json_ListsAffectedMinionsAndTheLiveReleasesStoredResults()
    {
        Publish("foo", "bad", "20261125T140102Z-1a2b3c4d");
        new HighstateResultStore(MetadataDatabase.Open(Path.Combine(_data, "spiro.db"))).Record(new HighstateRun(
            "run1", "20261125T140102Z-1a2b3c4d", new SaltEnvName("foo", "bad"), Test: false, DateTimeOffset.UnixEpoch,
            [new MinionSummary("m1", MinionOutcome.Failed, 1, 1, 0, 1, [new StateResult("must_fail", "/bin/false", "cmd.run", "failing", false, false, "Command run", 0, 0)], [], 20, 2)]));

        var (exit, output, _) = await Run("query-highstate", "foo/bad", "--data", _data, "--json", "--salt-command", FakeSalt());

        Assert.Equal(0, exit);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("""["m1"]""", json["minions"]!.ToJsonString());
        Assert.Equal("20261125T140102Z-1a2b3c4d", (string?)json["release"]);
        var run = Assert.Single(json["results"]!.AsArray())!;
        Assert.Equal("must_fail", (string?)run["minions"]!["m1"]!["failing"]![0]!["id"]);
    }

    [Fact]
    public async Task QueryHighstate_Text_SaysWhichMinionsWouldBeHighstated()
    {
        var (exit, output, _) = await Run("query-highstate", "jj/dev", "--data", _data, "--salt-command", FakeSalt());

        Assert.Equal(0, exit);
        Assert.Equal("jj/dev: a highstate would run on 2 minion(s): m1, m2\nnot published: no live release\n", output);
    }

    [Fact]
    public async Task QueryHighstate_WithoutSalt_FailsWithAClearMessage()
    {
        var (exit, output, error) = await Run("query-highstate", "jj/dev", "--data", _data, "--salt-command", Path.Combine(_data, "no-salt"));

        Assert.Equal(4, exit);
        Assert.Contains("could not be started", output, StringComparison.Ordinal);
        Assert.Contains("could not be started", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("foo/../etc")]
    public async Task QueryHighstate_WithBadSaltEnv_IsAUsageError(string saltEnv)
    {
        var (exit, _, error) = await Run("query-highstate", saltEnv, "--data", _data, "--salt-command", FakeSalt());

        Assert.Equal(2, exit);
        Assert.StartsWith("spiro query-highstate: ", error, StringComparison.Ordinal);
    }

    private void Publish(string project, string deployment, string release)
    {
        Directory.CreateDirectory(Path.Combine(_data, "releases", release));
        Directory.CreateDirectory(Path.Combine(_data, "envs", project));
        File.CreateSymbolicLink(Path.Combine(_data, "envs", project, deployment), $"../../releases/{release}");
    }

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in Verbs.All())
        {
            root.Subcommands.Add(command);
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    // The fake salt (tests/fake-salt/salt) with no delay: it replays show_top.stream for state.show_top.
    private string FakeSalt([CallerFilePath] string source = "")
    {
        var script = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "fake-salt", "salt"));
        var wrapper = Path.Combine(_data, "salt");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexport FAKE_SALT_DELAY=0\nexec python3 '{script}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return wrapper;
    }
}
