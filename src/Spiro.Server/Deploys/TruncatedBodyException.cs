namespace Spiro.Server.Deploys;

/// <summary>The request ended before the bundle did (a multipart body cut inside the bundle part): the client's error, a 400.</summary>
internal sealed class TruncatedBodyException(string message) : IOException(message);
