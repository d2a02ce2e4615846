namespace Spiro.Protocol.Deltas;

/// <summary>The <see cref="DeltaEntry.Type"/> values: the tar entry types a bundle may hold.</summary>
public static class DeltaEntryTypes
{
    public const string File = "file";

    public const string Directory = "dir";

    public const string Symlink = "symlink";

    public const string Hardlink = "hardlink";
}
