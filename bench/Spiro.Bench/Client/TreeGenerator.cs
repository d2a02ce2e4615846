using System.Text;

namespace Spiro.Bench.Client;

/// <summary>A project tree for the upload benchmark: a git-less repo with _salt (many small states) and dist/ artifacts.</summary>
internal static class TreeGenerator
{
    /// <summary>Writes about <paramref name="megabytes"/> MB (another <paramref name="seed"/>, other states and random artifacts); returns the bytes written.</summary>
    public static long Write(string root, long megabytes, int seed = 42)
    {
        long total = 0;
        var random = new Random(seed);
        for (var i = 0; i < 2000; i++)
        {
            var path = Path.Combine(root, "_salt", $"role{i % 40}", $"state{i}.sls");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var text = new StringBuilder();
            while (text.Length < 4096)
            {
                text.Append("pkg-").Append(i).Append(":\n  pkg.installed:\n    - name: package").Append(random.Next()).Append('\n');
            }

            File.WriteAllText(path, text.ToString());
            total += text.Length;
        }

        var remaining = Math.Max(0, (megabytes << 20) - total);
        var noise = new byte[1 << 20];
        var lines = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1 << 17).Select(n => $"line {n} ok\n")))[..(1 << 20)];
        var dist = Path.Combine(root, "dist");
        Directory.CreateDirectory(dist);
        for (var file = 0; remaining > 0; file++)
        {
            // Half the artifacts are incompressible (packages, images), half compress well (logs, text).
            var size = Math.Min(remaining, 32L << 20);
            using var stream = File.Create(Path.Combine(dist, $"artifact{file}.bin"));
            for (long written = 0; written < size; written += noise.Length)
            {
                random.NextBytes(noise);
                stream.Write(file % 2 == 0 ? noise : lines, 0, (int)Math.Min(noise.Length, size - written));
            }

            total += size;
            remaining -= size;
        }

        return total;
    }
}
