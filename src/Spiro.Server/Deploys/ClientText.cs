using System.Text.RegularExpressions;
using Spiro.Core.Releases;

namespace Spiro.Server.Deploys;

/// <summary>
/// What a client may read of a server-side failure: no filesystem path of the server. .NET's IO
/// messages quote the path they failed on ("Could not find a part of the path '/...'"), so an
/// exception's quoted absolute paths are replaced, and the data directory wherever it appears.
/// The full message goes to the server log.
/// </summary>
internal sealed partial class ClientText(ReleaseStore store)
{
    private const string Hidden = "(a path on the server)";

    private readonly string[] _dataDirectories = DataDirectories(store.DataDirectory);

    /// <summary>An exception's message with every server path hidden.</summary>
    public string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return OfServer(exception.Message);
    }

    /// <summary>A message the server wrote from its own failures (an exception's text inside it): quoted absolute paths and the data directory hidden.</summary>
    public string OfServer(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Hide(QuotedAbsolutePath().Replace(message, "'" + Hidden + "'"));
    }

    /// <summary><paramref name="message"/> with the data directory hidden (for messages that may quote a bundle's own paths).</summary>
    public string Hide(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var directory in _dataDirectories)
        {
            message = message.Replace(directory, Hidden, StringComparison.Ordinal);
        }

        return message;
    }

    // The directory as configured and as the kernel resolves it (a symlinked /tmp, a bind mount's target), longest first.
    private static string[] DataDirectories(string configured)
    {
        var resolved = configured;
        try
        {
            resolved = new DirectoryInfo(configured).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? configured;
        }
        catch (IOException)
        {
        }

        return new[] { Path.TrimEndingDirectorySeparator(configured), Path.TrimEndingDirectorySeparator(resolved) }
            .Distinct(StringComparer.Ordinal).OrderByDescending(d => d.Length).ToArray();
    }

    [GeneratedRegex("'/[^']*'")]
    private static partial Regex QuotedAbsolutePath();
}
