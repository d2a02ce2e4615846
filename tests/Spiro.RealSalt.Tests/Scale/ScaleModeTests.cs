using System.Text.Json.Nodes;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Admin;
using Spiro.Core.Releases.Publishing;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Scale;

/// <summary>Scale mode (docs/salt.md) on a real master with 300 saltenvs.</summary>
[Collection(ScaleLabFixture.Collection)]
public sealed class ScaleModeTests(ScaleLabFixture scale)
{
    [SaltFact]
    public async Task TopData_InScaleMode_EqualsWhatSaltComputesInTheDefaultMode_SaltenvBySaltenv()
    {
        // Same store: the tests that publish more use projects outside the mix, and only mix/* and
        // fill*/ saltenvs existed when the fixture recorded the default mode's answer.
        var byDefault = scale.DefaultModeTop;

        var scaled = await scale.Lab.SaltJsonAsync("*", "state.show_top");

        foreach (var minion in SaltLabLayout.MinionIds)
        {
            var expected = TopOf(byDefault, minion);
            var actual = Mixed(TopOf(scaled, minion));
            foreach (var saltEnv in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
            {
                Assert.True(
                    expected.TryGetValue(saltEnv, out var want) && actual.TryGetValue(saltEnv, out var got) && want.SequenceEqual(got),
                    $"{minion} {saltEnv}: default mode {Show(expected, saltEnv)}, scale mode {Show(actual, saltEnv)}");
            }
        }

        // The mix must really have matched by every target type (both modes empty would be "equal" too).
        var m1 = TopOf(scaled, "m1");
        var m2 = TopOf(scaled, "m2");
        Assert.Equal(["glob_all", "glob_m1"], m1["mix/glob"]);
        Assert.Equal(["list_m2"], m2["mix/list"]);
        Assert.False(m1.ContainsKey("mix/list"));
        Assert.Equal(["pcre_all", "pcre_m1"], m1["mix/pcre"]);
        Assert.Equal(["grain_web"], m1["mix/grain"]);
        Assert.False(m2.ContainsKey("mix/grain"));
        Assert.Equal(["grain_pcre_db"], m2["mix/grainpcre"]);
        Assert.Equal(["pillar_gold"], m1["mix/pillar"]);
        Assert.False(m2.ContainsKey("mix/pillar"));
        Assert.Equal(["compound_both", "compound_confined", "compound_nodegroup"], m1["mix/compound"]);
        Assert.Equal(["compound_both", "compound_not1", "compound_pillar"], m2["mix/compound"]);
        Assert.Equal(["nodegroup_dbs"], m2["mix/nodegroup"]);
        Assert.False(m1.ContainsKey("mix/nodegroup"));
        Assert.Equal(["ipcidr_loopback"], m1["mix/ipcidr"]);
        // The wrapper's yaml filter writes the rendered section with sorted keys: I@..., m1, m1*.
        Assert.Equal(["jinja_pillar", "jinja_web", "jinja_salt"], m1["mix/jinja"]);
        Assert.Equal(["jinja_pillar", "jinja_2", "jinja_salt"], m2["mix/jinja"]);
        Assert.DoesNotContain(m1.Keys, key => key.StartsWith("fill", StringComparison.Ordinal));
    }

    [SaltFact]
    public async Task FileserverEnvs_InScaleMode_ListsTheLiteralEnvInsteadOfTheSaltenvs()
    {
        var envs = (await scale.Lab.SaltRunJsonAsync("fileserver.envs"))!.AsArray().Select(node => node!.GetValue<string>()).ToList();

        Assert.Contains("__env__", envs);
        Assert.DoesNotContain("mix/glob", envs);
        var files = await scale.Lab.SaltRunJsonAsync("fileserver.file_list", "saltenv=mix/glob");
        Assert.Contains("glob_m1.sls", files!.ToJsonString(), StringComparison.Ordinal);
    }

    [SaltFact]
    public async Task PlainHighstateOnM1_AppliesEverySaltenvWhoseTopListsM1()
    {
        var lab = scale.Lab;
        var top = TopOf(await lab.SaltJsonAsync("m1", "state.show_top"), "m1");
        var expected = top.Where(pair => pair.Key.StartsWith("mix/", StringComparison.Ordinal))
            .SelectMany(pair => pair.Value.Select(state => TargetMix.StateId(pair.Key, state))).ToHashSet(StringComparer.Ordinal);
        Assert.True(expected.Count >= 10, string.Join(", ", expected));

        var result = await lab.SaltJsonAsync("m1", "state.highstate");

        var ran = StatesOf(result, "m1");
        Assert.All(ran.Values, state => Assert.True(state["result"]?.GetValue<bool>() == true, state.ToJsonString()));
        var ids = ran.Values.Select(state => state["__id__"]!.GetValue<string>()).Where(id => id.StartsWith("mix-", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [SaltFact]
    public async Task DeployWithHighstate_InScaleMode_RunsTheTargetedMinionsWithTheirStates()
    {
        var lab = scale.Lab;
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'roles:db':\n    - match: grain\n    - app\n");
        project.Write("_salt/app/init.sls", """
            scaled-app-file:
              file.managed:
                - name: {{ opts['cachedir'] }}/spiro-tests/scaled/app.conf
                - source: salt://app/app.conf
                - makedirs: True
            """);
        project.Write("_salt/app/app.conf", "deployed in scale mode\n");
        var token = await lab.IssueTokenAsync("scaled");

        var deploy = await lab.DeployAsync(project.Path, token, "scaled", "dev");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("m2", deploy.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("m1", deploy.Output, StringComparison.Ordinal);
        Assert.Equal("deployed in scale mode\n", await File.ReadAllTextAsync(AppFile("m2", "scaled", "app.conf")));
        Assert.False(File.Exists(AppFile("m1", "scaled", "app.conf")));
    }

    [SaltFact]
    public async Task RollbackAndPromote_InScaleMode_ChangeWhatTheNextPlainHighstateApplies()
    {
        var lab = scale.Lab;
        var dev = new SaltEnvName("flip", "dev");
        var prod = new SaltEnvName("flip", "prod");
        await scale.PublishAsync(dev, FlipBundle("v1"));
        await scale.PublishAsync(dev, FlipBundle("v2"));
        await HighstateM1Async();
        Assert.Equal("v2\n", await File.ReadAllTextAsync(AppFile("m1", "flip", "dev.conf")));

        var rollback = await scale.Store.RollbackAsync(dev, null, new PublishContext("test"), CancellationToken.None);
        Assert.IsType<RollbackResult.RolledBack>(rollback);
        await HighstateM1Async();
        Assert.Equal("v1\n", await File.ReadAllTextAsync(AppFile("m1", "flip", "dev.conf")));

        Assert.False(File.Exists(AppFile("m1", "flip", "prod.conf")));
        var promote = await scale.Store.PromoteAsync(dev, prod, null, new PublishContext("test"), CancellationToken.None);
        Assert.IsType<PromoteResult.Promoted>(promote);
        await HighstateM1Async();
        Assert.Equal("v1 in prod\n", await File.ReadAllTextAsync(AppFile("m1", "flip", "prod.conf")));

        async Task HighstateM1Async()
        {
            var states = StatesOf(await lab.SaltJsonAsync("m1", "state.highstate"), "m1");
            Assert.All(states.Values, state => Assert.True(state["result"]?.GetValue<bool>() == true, state.ToJsonString()));
        }
    }

    [SaltFact]
    public async Task ConfinedProject_InScaleMode_SpirotopTargetingEveryMinionReachesOnlyTheAllowedOne()
    {
        var lab = scale.Lab;
        const string app = """
            fenced-app:
              file.managed:
                - name: {{ opts['cachedir'] }}/spiro-tests/fenced/app.conf
                - contents: confined
                - makedirs: True
            """;
        await scale.PublishAsync(new SaltEnvName("fenced", "old"), new Dictionary<string, string> { ["spirotop.sls"] = "old:\n  '*':\n    - app\n", ["app/init.sls"] = app });
        Assert.Null(scale.Store.Projects.SetAllowTargets("fenced", "m1", "test"));
        await scale.PublishAsync(new SaltEnvName("fenced", "dev"), new Dictionary<string, string> { ["spirotop.sls"] = "dev:\n  '*':\n    - app\n", ["app/init.sls"] = app });
        await scale.PublishAsync(new SaltEnvName("fenced", "jinja"), new Dictionary<string, string>
        {
            ["spirotop.sls"] = "jinja:\n  '{{ grains['id'][:1] }}*':\n    - other\n",
            ["other/init.sls"] = "fenced-other:\n  test.succeed_without_changes\n",
        });
        try
        {
            var tops = await lab.SaltJsonAsync("*", "state.show_top");
            var m1 = TopOf(tops, "m1");
            var m2 = TopOf(tops, "m2");

            Assert.Equal(["app"], m1["fenced/dev"]);
            Assert.Equal(["other"], m1["fenced/jinja"]);
            Assert.False(m1.ContainsKey("fenced/old"), "a release from before the confinement is skipped");
            Assert.DoesNotContain(m2.Keys, key => key.StartsWith("fenced/", StringComparison.Ordinal));

            var states = StatesOf(await lab.SaltJsonAsync("m2", "state.highstate"), "m2");
            Assert.DoesNotContain(states.Values, state => state["__id__"]!.GetValue<string>().StartsWith("fenced-", StringComparison.Ordinal));
            Assert.False(File.Exists(AppFile("m2", "fenced", "app.conf")));
        }
        finally
        {
            Assert.Null(scale.Store.Projects.SetAllowTargets("fenced", null, "test"));
            foreach (var deployment in new[] { "old", "dev", "jinja" })
            {
                await scale.Store.DeleteAsync(new SaltEnvName("fenced", deployment), new PublishContext("test"), CancellationToken.None);
            }
        }
    }

    // dev and prod sections write different files, so a promote shows in what the highstate applies.
    private static Dictionary<string, string> FlipBundle(string version) => new(StringComparer.Ordinal)
    {
        ["spirotop.sls"] = "dev:\n  m1:\n    - app\nprod:\n  m1:\n    - app.prod\n",
        ["app/init.sls"] = $$$"""
            flip-dev-file:
              file.managed:
                - name: {{ opts['cachedir'] }}/spiro-tests/flip/dev.conf
                - contents: "{{{version}}}"
                - makedirs: True
            """,
        ["app/prod.sls"] = $$$"""
            flip-prod-file:
              file.managed:
                - name: {{ opts['cachedir'] }}/spiro-tests/flip/prod.conf
                - contents: "{{{version}}} in prod"
                - makedirs: True
            """,
    };

    private string AppFile(string minion, string project, string name) =>
        Path.Combine(scale.Lab.Layout.MinionConfigDir(minion), "cache", "spiro-tests", project, name);

    private static Dictionary<string, List<string>> TopOf(JsonObject output, string minion)
    {
        var top = output[minion] as JsonObject ?? throw new InvalidOperationException($"no top data for {minion}: {output.ToJsonString()}");
        return top.ToDictionary(
            pair => pair.Key,
            pair => pair.Value!.AsArray().Select(state => state!.GetValue<string>()).ToList(),
            StringComparer.Ordinal);
    }

    private static Dictionary<string, List<string>> Mixed(Dictionary<string, List<string>> top) =>
        top.Where(pair => pair.Key.StartsWith("mix/", StringComparison.Ordinal) || pair.Key.StartsWith("fill", StringComparison.Ordinal))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    private static Dictionary<string, JsonObject> StatesOf(JsonObject output, string minion) =>
        output[minion] is JsonObject states
            ? states.ToDictionary(pair => pair.Key, pair => (JsonObject)pair.Value!, StringComparer.Ordinal)
            : throw new InvalidOperationException($"{minion} did not run states: {output.ToJsonString()}");

    private static string Show(Dictionary<string, List<string>> top, string saltEnv) =>
        top.TryGetValue(saltEnv, out var states) ? "[" + string.Join(", ", states) + "]" : "(absent)";
}
