namespace Spiro.Core.Releases.Objects;

/// <summary>What adopting a staged file into the object store did.</summary>
internal enum AdoptOutcome
{
    /// <summary>New content: the staged file became the object.</summary>
    Added,

    /// <summary>The content existed: the staged copy was dropped for a link to the object.</summary>
    Reused,

    /// <summary>Linking was impossible; the release holds its own copy.</summary>
    Copied,
}
