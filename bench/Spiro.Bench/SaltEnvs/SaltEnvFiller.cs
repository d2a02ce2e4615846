using System.Formats.Tar;
using System.Text;
using Spiro.Core.Names;
using Spiro.Core.Releases;

namespace Spiro.Bench.SaltEnvs;

/// <summary>
/// Publishes the benchmark's saltenvs straight into the lab's store (the same publish the deploy
/// server runs, without HTTP): <c>one/dev</c>, whose spirotop targets m1, and fillers
/// <c>fillNNNN/dev</c> whose spirotop targets no minion.
/// </summary>
internal sealed class SaltEnvFiller(ReleaseStore store)
{
    /// <summary>The saltenv whose top lists m1.</summary>
    public static readonly SaltEnvName One = new("one", "dev");

    /// <summary>The state id <see cref="One"/> applies on m1.</summary>
    public const string OneStateId = "one-app";

    private int _fillers;

    /// <summary>Saltenvs published so far.</summary>
    public int Count { get; private set; }

    public async Task PublishOneAsync()
    {
        await PublishAsync(One, "dev:\n  m1:\n    - app\n", $"{OneStateId}:\n  test.succeed_without_changes: []\n");
    }

    /// <summary>Adds fillers until <paramref name="total"/> saltenvs are published (<see cref="One"/> included).</summary>
    public async Task FillToAsync(int total)
    {
        while (Count < total)
        {
            var index = ++_fillers;
            await PublishAsync(
                new SaltEnvName($"fill{index:D4}", "dev"),
                $"dev:\n  'nomatch-{index}':\n    - app\n",
                $"fill-{index}:\n  test.succeed_without_changes: []\n");
        }
    }

    private async Task PublishAsync(SaltEnvName saltEnv, string spirotop, string app)
    {
        using var bundle = new MemoryStream();
        using (var writer = new TarWriter(bundle, TarEntryFormat.Pax, leaveOpen: true))
        {
            Add(writer, "spirotop.sls", spirotop);
            Add(writer, "app.sls", app);
        }

        bundle.Position = 0;
        var result = await store.PublishAsync(saltEnv, bundle, new PublishContext("bench"), CancellationToken.None);
        if (result is not PublishResult.Published)
        {
            throw new InvalidOperationException($"publishing {saltEnv} failed: {result}");
        }

        Count++;
    }

    private static void Add(TarWriter writer, string name, string text)
    {
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        });
    }
}
