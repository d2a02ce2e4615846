namespace Spiro.Core.Bundles;

/// <summary>
/// Raised from inside the stream layers (where no result can be returned) and turned into a
/// <see cref="BundleReadResult.Rejected"/> by the reader; never escapes it.
/// </summary>
internal sealed class BundleRejectedException(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}
