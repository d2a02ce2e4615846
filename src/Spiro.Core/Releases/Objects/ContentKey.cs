namespace Spiro.Core.Releases.Objects;

/// <summary>The one accepted shape of a content key: 64 lower-case hex digits of a sha256.</summary>
public static class ContentKey
{
    /// <summary>Whether <paramref name="sha256"/> is 64 lower-case hex digits.</summary>
    public static bool IsValid(string? sha256) =>
        sha256 is { Length: 64 } && sha256.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>Throws when <paramref name="sha256"/> is not a content key, so no caller builds a path or URL from anything else.</summary>
    public static string Check(string? sha256) =>
        IsValid(sha256) ? sha256! : throw new ArgumentException($"'{sha256}' is not a sha256 content key (64 lower-case hex digits)", nameof(sha256));
}
