namespace Spiro.Cli.Salt;

/// <summary>Writes the embedded adapter into a Salt <c>module_dirs</c> directory.</summary>
internal static class AdapterInstaller
{
    /// <summary>
    /// Writes fileserver/, runners/, engines/ and tops/ spiro.py under <paramref name="directory"/>, each
    /// through a temporary file and a rename so a running master never loads half a module.
    /// </summary>
    /// <returns>The absolute paths written.</returns>
    public static IReadOnlyList<string> Install(string directory)
    {
        var root = Path.GetFullPath(directory);
        var written = new List<string>();
        foreach (var relative in AdapterFiles.RelativePaths)
        {
            var target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".spiro-tmp";
            using (var source = AdapterFiles.Open(relative))
            using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                source.CopyTo(output);
                output.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // Readable by the salt-master user whatever the umask of the installing shell.
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temp, target, overwrite: true);
            written.Add(target);
        }

        return written;
    }
}
