namespace Spiro.Testing;

/// <summary>POSIX shell quoting for the small scripts the harness writes.</summary>
public static class Shell
{
    /// <summary>One single-quoted shell word.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
