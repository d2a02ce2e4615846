using System.Security.Cryptography;
using System.Text;

namespace Spiro.Core.Tokens;

/// <summary>Token strings: generation, shape check and hashing. The secret itself is never stored.</summary>
public static class TokenSecret
{
    /// <summary>Recognisable prefix so secret scanners find leaked tokens.</summary>
    public const string Prefix = "spiro_";

    private const int SecretBytes = 32;

    // base64url of 32 bytes without padding.
    private const int EncodedLength = 43;

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>A fresh token: the prefix and 256 random bits, base64url.</summary>
    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>A fresh public token id: 64 random bits as hex.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Whether <paramref name="token"/> has the shape of a token this server issues.</summary>
    public static bool IsWellFormed(string? token) =>
        token is not null
        && token.Length == Prefix.Length + EncodedLength
        && token.StartsWith(Prefix, StringComparison.Ordinal)
        && token.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlAlphabet) is false;

    /// <summary>Lower-case hex sha256 of the token string (enough: the token has 256 bits of entropy).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time comparison of two hex hashes.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
