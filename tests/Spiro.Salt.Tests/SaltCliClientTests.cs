using System.Diagnostics;
using Spiro.Core.Highstate;

namespace Spiro.Salt.Tests;

public sealed class SaltCliClientTests
{
    private static readonly string[] M2DownHighstate = ["-L", "m1,m2", "state.highstate", "saltenv=jj/dev", "queue=True", "--out=json", "--out-indent=-1"];

    [Fact]
    public async Task Run_StreamsTheFirstLineWhileSaltIsStillRunning()
    {
        using var salt = new FakeSalt(delaySeconds: 0.8);
        var client = new SaltCliClient(new SaltOptions { Command = salt.Command });
        var exitedAtFirstLine = (bool?)null;
        var outputs = new List<SaltOutput>();

        await foreach (var output in client.RunAsync(M2DownHighstate, CancellationToken.None))
        {
            exitedAtFirstLine ??= File.Exists(salt.ExitMarker);
            outputs.Add(output);
        }

        Assert.False(exitedAtFirstLine);
        Assert.True(File.Exists(salt.ExitMarker));
        Assert.Equal(3, outputs.Count);
        Assert.StartsWith("{\"m1\": ", Assert.IsType<SaltOutput.Line>(outputs[0]).Text, StringComparison.Ordinal);
        Assert.StartsWith("{\"m2\": \"Minion did not return.", Assert.IsType<SaltOutput.Line>(outputs[1]).Text, StringComparison.Ordinal);
        Assert.Equal(new SaltOutput.Exited(1, "ERROR: Minions returned with non-zero exit code\n", TimedOut: false), outputs[2]);
    }

    [Fact]
    public async Task Run_PassesConfigDirectoryFirstThenTheArgumentsVerbatim()
    {
        using var salt = new FakeSalt(delaySeconds: 0);
        var client = new SaltCliClient(new SaltOptions { Command = salt.Command, ConfigDirectory = salt.Directory });

        await Drain(client.RunAsync(["m1", "test.version", "--out=json", "--static", "arg with 'quotes' and spaces"], CancellationToken.None));

        Assert.Equal(["-c", salt.Directory, "m1", "test.version", "--out=json", "--static", "arg with 'quotes' and spaces"], Assert.Single(salt.Calls()));
    }

    [Theory]
    [InlineData("/nonexistent/dir/salt")]
    [InlineData("spiro-no-such-salt-command")]
    public async Task Run_WithMissingExecutable_YieldsUnavailableNotAnException(string command)
    {
        var client = new SaltCliClient(new SaltOptions { Command = command });

        var outputs = await Drain(client.RunAsync(["*", "state.show_top"], CancellationToken.None));

        var unavailable = Assert.IsType<SaltOutput.Unavailable>(Assert.Single(outputs));
        Assert.Contains($"The salt command '{command}' could not be started", unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Cancelled_KillsSaltAndThrows()
    {
        using var salt = new FakeSalt("hang", delaySeconds: 0.05);
        var client = new SaltCliClient(new SaltOptions { Command = salt.Command });
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var output in client.RunAsync(M2DownHighstate, cancel.Token))
            {
                cancel.Cancel();
            }
        });

        await AssertGone(int.Parse(File.ReadAllText(salt.PidFile), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Run_ConsumerStopsEarly_KillsSalt()
    {
        using var salt = new FakeSalt("hang", delaySeconds: 0.05);
        var client = new SaltCliClient(new SaltOptions { Command = salt.Command });

        await foreach (var output in client.RunAsync(M2DownHighstate, CancellationToken.None))
        {
            Assert.IsType<SaltOutput.Line>(output);
            break;
        }

        await AssertGone(int.Parse(File.ReadAllText(salt.PidFile), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Run_PastProcessTimeout_KillsSaltAndReportsTimedOut()
    {
        using var salt = new FakeSalt("hang", delaySeconds: 0.05);
        var client = new SaltCliClient(new SaltOptions { Command = salt.Command, ProcessTimeout = TimeSpan.FromSeconds(5) });
        var clock = Stopwatch.StartNew();

        var outputs = await Drain(client.RunAsync(M2DownHighstate, CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(2, outputs.OfType<SaltOutput.Line>().Count());
        Assert.True(Assert.IsType<SaltOutput.Exited>(outputs[^1]).TimedOut);
        Assert.False(File.Exists(salt.ExitMarker));
    }

    private static async Task<List<SaltOutput>> Drain(IAsyncEnumerable<SaltOutput> outputs)
    {
        var list = new List<SaltOutput>();
        await foreach (var output in outputs)
        {
            list.Add(output);
        }

        return list;
    }

    private static async Task AssertGone(int pid)
    {
        for (var attempt = 0; attempt < 100 && Directory.Exists($"/proc/{pid}") && !IsZombie(pid); attempt++)
        {
            await Task.Delay(50);
        }

        Assert.True(!Directory.Exists($"/proc/{pid}") || IsZombie(pid), $"salt process {pid} is still running");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
