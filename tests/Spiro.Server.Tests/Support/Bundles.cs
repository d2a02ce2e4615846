using System.Formats.Tar;
using System.Text;

namespace Spiro.Server.Tests.Support;

/// <summary>Real tar bundles built in memory (small ones) for the tests.</summary>
internal static class Bundles
{
    public static byte[] Tar(params (string Path, string Content)[] files)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    /// <summary>A plain bundle with a state and a spirotop that targets <c>dev</c>.</summary>
    public static byte[] Hello(string marker = "hello") => Tar(
        ("web/init.sls", $"motd:\n  file.managed:\n    - name: /etc/motd\n    - contents: {marker}\n"),
        ("spirotop.sls", "dev:\n  '*':\n    - web\n"),
        (".gitcommit", "0123456789abcdef0123456789abcdef01234567\nheads/main\n"));
}
