namespace Spiro.Core.Bundles;

/// <summary>
/// <see cref="TarStreamReader"/> found the archive malformed, truncated or past a bound; the
/// reader turns it into a rejection naming the entry it stood at.
/// </summary>
/// <param name="rule">The <see cref="BundleRules"/> id.</param>
/// <param name="message">What is wrong, without the entry (the reader adds it).</param>
/// <param name="inData">Raised inside the current entry's data (rather than at or after the header that follows it).</param>
internal sealed class TarFormatException(string rule, string message, bool inData = false) : Exception(message)
{
    public string Rule { get; } = rule;

    public bool InData { get; } = inData;
}
