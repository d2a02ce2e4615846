using Spiro.Testing.Tars;

namespace Spiro.Server.Tests.Support;

/// <summary>The server tests' usual bundle (built by the shared TestTar).</summary>
internal static class Bundles
{
    /// <summary>A plain bundle with a state and a spirotop that targets <c>dev</c>.</summary>
    public static byte[] Hello(string marker = "hello") => TestTar.Bytes(
        ("web/init.sls", $"motd:\n  file.managed:\n    - name: /etc/motd\n    - contents: {marker}\n"),
        ("spirotop.sls", "dev:\n  '*':\n    - web\n"),
        (".gitcommit", "0123456789abcdef0123456789abcdef01234567\nheads/main\n"));
}
