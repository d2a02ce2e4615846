using System.Formats.Tar;
using System.Text;

namespace Spiro.Testing.Tars;

/// <summary>
/// The one tar builder of the tests and benches: real PAX archives as spiro-deploy sends them,
/// made with System.Formats.Tar. A path ending in <c>*</c> marks an executable (mode 0755; else 0644).
/// </summary>
public static class TestTar
{
    private const UnixFileMode Plain = (UnixFileMode)0b110_100_100;
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    /// <summary>A tar of <paramref name="files"/> (path -> text), positioned at its start.</summary>
    public static MemoryStream Stream(IEnumerable<KeyValuePair<string, string>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, text) in files)
            {
                AddText(writer, path, text);
            }
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>The bytes of a tar of <paramref name="files"/>, in order.</summary>
    public static byte[] Bytes(params (string Path, string Content)[] files) =>
        Stream(files.Select(f => KeyValuePair.Create(f.Path, f.Content))).ToArray();

    /// <summary>Writes a tar of <paramref name="files"/> to <paramref name="path"/>.</summary>
    public static void WriteFile(string path, IEnumerable<KeyValuePair<string, string>> files)
    {
        using var output = File.Create(path);
        Stream(files).CopyTo(output);
    }

    /// <summary>Adds a text file (<c>*</c> suffix: executable).</summary>
    public static void AddText(TarWriter writer, string path, string text) =>
        Add(writer, path.TrimEnd('*'), Encoding.UTF8.GetBytes(text), path.EndsWith('*'));

    /// <summary>Adds a file of <paramref name="content"/>.</summary>
    public static void Add(TarWriter writer, string path, byte[] content, bool executable = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
        {
            DataStream = new MemoryStream(content, writable: false),
            Mode = executable ? Executable : Plain,
        });
    }
}
