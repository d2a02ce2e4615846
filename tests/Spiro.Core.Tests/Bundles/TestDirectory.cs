namespace Spiro.Core.Tests.Bundles;

/// <summary>A temp directory owned by one test, with the staging directory as a child of it.</summary>
internal sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "spiro-bundles-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Staging => Path.Combine(Root, "staging");

    /// <summary>Everything in the temp directory other than staging: must stay empty.</summary>
    public string[] Leftovers() =>
        [.. Directory.EnumerateFileSystemEntries(Root).Where(path => path != Staging)];

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
