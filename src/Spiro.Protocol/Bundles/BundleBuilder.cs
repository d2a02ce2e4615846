namespace Spiro.Protocol.Bundles;

/// <summary>Writes a project's bundle as tar to a stream while it is being read (no temp file, no buffer).</summary>
public static class BundleBuilder
{
    /// <summary>Writes the tar for <paramref name="spec"/> to <paramref name="output"/>.</summary>
    public static Task WriteAsync(BundleSpec spec, Stream output, CancellationToken cancellationToken)
    {
        // TODO(#5): replaced by the builder spiro-deploy uses.
        throw new NotImplementedException();
    }
}
