using Spiro.Core.Highstate;

namespace Spiro.Deploy.Tests.Support;

/// <summary>The shared <see cref="TestServer"/> with the client tests' Salt boundaries: <see cref="SampleSalt"/> or tests/fake-salt.</summary>
internal static class ServerWithSalt
{
    /// <param name="salt">The Salt boundary.</param>
    /// <param name="tls">PEM certificate and key files to serve HTTPS with, or null for HTTP.</param>
    public static Task<TestServer> StartAsync(ISaltClient salt, (string Certificate, string Key)? tls = null) =>
        StartCoreAsync(new HighstateOrchestrator(salt, new HighstateOptions(), null, TimeProvider.System), tls);

    /// <summary>The server driving tests/fake-salt/salt through the real salt CLI client (Spiro.Salt).</summary>
    public static Task<TestServer> StartWithFakeSaltAsync()
    {
        var fake = Path.Combine(AppContext.BaseDirectory, "fake-salt", "salt");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(fake, File.GetUnixFileMode(fake) | UnixFileMode.UserExecute);
        }

        return StartCoreAsync(Spiro.Salt.SaltHighstate.Create(new Spiro.Salt.SaltOptions { Command = fake }, null, TimeProvider.System), null);
    }

    private static Task<TestServer> StartCoreAsync(IHighstateService highstate, (string Certificate, string Key)? tls) =>
        TestServer.StartAsync(highstate, options => options with
        {
            ShutdownTimeout = TimeSpan.FromSeconds(1),
            SslCrt = tls?.Certificate,
            SslKey = tls?.Key,
        });
}
