using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Scale;

/// <summary>
/// A lab of its own (300 saltenvs would slow every other real-Salt test): the target mix, fillers up
/// to <see cref="SaltEnvCount"/> saltenvs (spirotops that target no minion), pillar and nodegroups for
/// the mix; the default mode's top data is recorded, then scale mode switched on (the lines
/// <c>spiro salt install --scale</c> adds, in master.d/scale.conf).
/// </summary>
public sealed class ScaleLabFixture : IAsyncLifetime
{
    /// <summary>The xUnit collection whose tests share this lab.</summary>
    public const string Collection = "real Salt, scale mode";

    /// <summary>Saltenvs published before any test runs.</summary>
    public const int SaltEnvCount = 300;

    private const string ScaleFile = "scale.conf";
    private SaltLab? _lab;
    private ReleaseStore? _store;
    private string? _failure;

    /// <summary>The running lab.</summary>
    public SaltLab Lab => _lab ?? throw new InvalidOperationException(_failure ?? "the Salt lab is not started");

    /// <summary>The lab's store, opened in this process (publishing through it is what the deploy server does).</summary>
    public ReleaseStore Store => _store ?? throw new InvalidOperationException(_failure ?? "the Salt lab is not started");

    /// <summary>
    /// <c>salt '*' state.show_top</c> in the default mode for the store as published here (the mix and
    /// the fillers), taken before scale mode was switched on.
    /// </summary>
    public JsonObject DefaultModeTop { get; private set; } = [];

    /// <summary>What <c>spiro salt install --scale</c> prints beyond the seed config.</summary>
    public string ScaleConfig { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (SaltFactAttribute.SkipReason is not null)
        {
            return;
        }

        try
        {
            _lab = await SaltLab.StartAsync();
            var pillarRoot = Path.Combine(_lab.Layout.Root, "pillar");
            Directory.CreateDirectory(pillarRoot);
            foreach (var (name, text) in TargetMix.Pillar)
            {
                await File.WriteAllTextAsync(Path.Combine(pillarRoot, name), text);
            }

            _lab.WriteMasterConfig("targets.conf", $"pillar_roots:\n  base:\n    - {pillarRoot}\n{TargetMix.Nodegroups}");
            _store = ReleaseStore.Open(new StoreOptions { DataDirectory = _lab.Layout.SpiroData, KeepReleasesFromDataDirectory = true }, TimeProvider.System);
            foreach (var deployment in TargetMix.Sections.Keys.Append("jinja"))
            {
                await PublishAsync(new SaltEnvName("mix", deployment), TargetMix.Bundle(deployment));
            }

            for (var i = TargetMix.Sections.Count + 1; i < SaltEnvCount; i++)
            {
                await PublishAsync(new SaltEnvName($"fill{i:D3}", "dev"), new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["spirotop.sls"] = $"dev:\n  'nomatch-{i}':\n    - app\n",
                    ["app.sls"] = $"fill-{i}:\n  test.succeed_without_changes: []\n",
                });
            }

            ScaleConfig = await ScaleLinesAsync(_lab);
            await _lab.RestartMasterAsync();
            await RefreshPillarAsync();
            DefaultModeTop = await _lab.SaltJsonAsync("*", "state.show_top");
            await SetScaleModeAsync(true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            _failure = exception.Message;
        }
    }

    /// <summary>Scale mode on (master.d/scale.conf) or off, then the master restarted and pillar refreshed.</summary>
    private async Task SetScaleModeAsync(bool on)
    {
        if (on)
        {
            Lab.WriteMasterConfig(ScaleFile, ScaleConfig);
        }
        else
        {
            Lab.RemoveMasterConfig(ScaleFile);
        }

        await Lab.RestartMasterAsync();
        await RefreshPillarAsync();
    }

    private async Task RefreshPillarAsync()
    {
        var refreshed = await Lab.SaltJsonAsync("*", "saltutil.refresh_pillar", "wait=True");
        if (refreshed.Count != 2)
        {
            throw new InvalidOperationException($"pillar refresh did not reach both minions: {refreshed.ToJsonString()}");
        }
    }

    /// <summary>Publishes text files as a new release of <paramref name="saltEnv"/> and makes it live.</summary>
    public async Task<string> PublishAsync(SaltEnvName saltEnv, IReadOnlyDictionary<string, string> files)
    {
        using var bundle = new MemoryStream();
        using (var writer = new TarWriter(bundle, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                });
            }
        }

        bundle.Position = 0;
        var result = await Store.PublishAsync(saltEnv, bundle, new PublishContext("test"), CancellationToken.None);
        return result is PublishResult.Published published
            ? published.Release.Id
            : throw new InvalidOperationException($"publishing {saltEnv} failed: {result}");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    // The lines --scale adds to what the lab already runs (the seed config), taken from the CLI itself.
    private static async Task<string> ScaleLinesAsync(SaltLab lab)
    {
        var scaled = await lab.SpiroAsync("salt", "install", "--dir", lab.Layout.ModuleDir, "--print-config", "--scale");
        var seed = await lab.SpiroAsync("salt", "install", "--dir", lab.Layout.ModuleDir, "--print-config");
        if (scaled.ExitCode != 0 || seed.ExitCode != 0)
        {
            throw new InvalidOperationException($"spiro salt install --print-config failed:\n{scaled}\n{seed}");
        }

        var added = scaled.Output.Split('\n').Except(seed.Output.Split('\n'), StringComparer.Ordinal).Where(line => !line.StartsWith('#'));
        return string.Join('\n', added) + "\n";
    }
}

/// <summary>The collection of tests that share <see cref="ScaleLabFixture"/>.</summary>
[CollectionDefinition(ScaleLabFixture.Collection)]
public sealed class ScaleLabTests : ICollectionFixture<ScaleLabFixture>;
