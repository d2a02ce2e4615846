using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Tests.Releases;

/// <summary>The names other readers use for the data directory are the ones the store creates.</summary>
public sealed class DataDirectoryNamesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("spiro-names-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Directories_AreExactlyWhatTheStoreLayoutCreates_AndTheDatabaseIsWhereItOpensIt()
    {
        var layout = new StoreLayout(_root);
        layout.Create();

        Assert.Equal(DataDirectoryNames.Directories.Order(StringComparer.Ordinal),
            Directory.EnumerateDirectories(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(layout.Database, DataDirectoryNames.DatabaseIn(_root));
    }
}
