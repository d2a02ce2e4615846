using System.Security.Cryptography;
using System.Text;
using Spiro.Core.Releases.Objects;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Storage;

/// <summary>
/// The data directory's content store on a real tmpfs with no inode left for the hard link: the
/// kernel's ENOSPC from link(2) is an error the caller sees, not "already stored".
/// </summary>
public sealed class LocalContentStoreFullDiskTests
{
    [SmallFilesystemFact]
    public async Task Put_WhenLinkFailsForLackOfSpace_ThrowsNamingTheLinkAndStoresNothing()
    {
        Assert.Null(SmallFilesystem.Unavailable);
        const string content = "a state file\n";
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        var source = Path.GetTempFileName();
        File.WriteAllText(source, content);
        try
        {
            // Inodes: the root, data, objects, objects/<aa>, locks, the objects lock file, then the
            // temporary object: seven, so the eighth (the hard link: tmpfs counts links) is refused.
            await using var disk = await SmallFilesystem.MountAsync(1, inodes: 7);
            var data = Path.Combine(disk.Path, "data");
            var directory = Path.Combine(data, "objects", sha[..2]);
            Directory.CreateDirectory(directory);
            Directory.CreateDirectory(Path.Combine(data, "locks"));
            File.WriteAllBytes(Path.Combine(data, "locks", ".objects.lock"), []);
            var store = new LocalContentStore(data);

            var error = await Assert.ThrowsAsync<IOException>(() => store.PutAsync(sha, source, CancellationToken.None));

            Assert.Contains("link", error.Message, StringComparison.Ordinal);
            Assert.Contains("errno 28", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(directory));
            Assert.False(await store.ContainsAsync(sha, CancellationToken.None));

            // One more inode and the same write succeeds: the refusal was the link's.
            await disk.SetInodesAsync(8);
            Assert.True(await store.PutAsync(sha, source, CancellationToken.None));
            Assert.Equal(content, File.ReadAllText(Path.Combine(directory, sha)));
        }
        finally
        {
            File.Delete(source);
        }
    }
}
