using System.Text;

namespace Spiro.Core.Releases.Diff;

/// <summary>Whether bytes are text worth diffing. Pure.</summary>
public static class TextContent
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes as a string when they are valid UTF-8 without NUL bytes (git's test for binary), else null.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0))
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
