namespace Spiro.Testing;

/// <summary>A throwaway project directory for <c>spiro-deploy</c>: files under <c>_salt/</c>, artifacts, anything.</summary>
public sealed class TempProject : IDisposable
{
    /// <summary>Creates an empty project directory under the temp folder.</summary>
    public TempProject() => Path = Directory.CreateTempSubdirectory("spiro-project-").FullName;

    /// <summary>The project root (spiro-deploy's working directory).</summary>
    public string Path { get; }

    /// <summary>Writes a text file (parent directories created) and returns its full path.</summary>
    public string Write(string relative, string text) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Writes a binary file (parent directories created) and returns its full path.</summary>
    public string Write(string relative, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
