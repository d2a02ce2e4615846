namespace Spiro.Core.Bundles;

/// <summary>Carries an exception TarReader threw for a malformed archive out of the read loop, to become a rejection.</summary>
internal sealed class TarLayerException(Exception inner) : Exception(inner.Message, inner);
