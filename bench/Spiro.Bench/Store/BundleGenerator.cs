using System.Formats.Tar;
using System.Text;
using Spiro.Testing.Tars;

namespace Spiro.Bench.Store;

/// <summary>
/// Writes a bundle like a real project's: a tenth of the files are small states (whose content
/// depends on <c>statesVersion</c>), the rest are artifacts carrying almost all the bytes (the
/// same for every version, so a states-only redeploy can share them).
/// </summary>
internal static class BundleGenerator
{
    public static void Write(string path, long totalBytes, int files, int statesVersion)
    {
        var states = Math.Max(1, files / 10);
        var artifacts = Math.Max(1, files - states);
        var artifactSize = (int)Math.Max(1, (totalBytes - (states * 512L)) / artifacts);
        var buffer = new byte[artifactSize];
        using var output = File.Create(path);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        TestTar.Add(writer, ".gitcommit", Encoding.UTF8.GetBytes($"{statesVersion:x40}\nheads/main\n"));
        TestTar.Add(writer, "spirotop.sls", Encoding.UTF8.GetBytes("dev:\n  'web*':\n    - states.d0\nprod:\n  'web*':\n    - states.d0\n"));
        for (var i = 0; i < states; i++)
        {
            var text = $"# state {i}, version {statesVersion}\npkg-{i}:\n  pkg.installed:\n    - name: package-{i}\n".PadRight(512, '#');
            TestTar.Add(writer, $"states/d{i % 50}/s{i}.sls", Encoding.UTF8.GetBytes(text));
        }

        for (var i = 0; i < artifacts; i++)
        {
            new Random(i).NextBytes(buffer);
            TestTar.Add(writer, $"_artifacts/d{i % 100}/a{i}.bin", buffer);
        }
    }
}
