namespace Spiro.Core.Bundles;

/// <summary>What a <see cref="StagingJob"/> does.</summary>
internal enum StagingJobKind
{
    /// <summary>Create a directory entry (parents of files are created with the file).</summary>
    Directory,

    /// <summary>A whole file in one slab range: hash, then link known content or write it.</summary>
    File,

    /// <summary>Link content the store holds (a <see cref="ContentReference"/>) whose sha256 the node holds.</summary>
    Reference,

    /// <summary>Start a file too large for a slab: its content follows as chunks.</summary>
    Open,

    /// <summary>The next piece of the open file: hash and append.</summary>
    Chunk,

    /// <summary>The open file is complete: record its hash and close it.</summary>
    Close,

    /// <summary>Every job using the slab has run: it may be filled again.</summary>
    ReleaseSlab,
}
