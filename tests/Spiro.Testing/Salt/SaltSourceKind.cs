namespace Spiro.Testing.Salt;

/// <summary>The kinds of Salt the lab can run.</summary>
public enum SaltSourceKind
{
    /// <summary>An unpacked source tree run with Debian's python3 (<c>$SPIRO_SALT_SRC</c>).</summary>
    SourceTree,

    /// <summary>Salt's own executables, found on PATH.</summary>
    Installed,

    /// <summary>A source tarball, unpacked once into <c>.cache/salt/</c>.</summary>
    Tarball,
}
