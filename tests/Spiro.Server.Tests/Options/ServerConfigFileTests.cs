using Spiro.Server.Options;

namespace Spiro.Server.Tests.Options;

public sealed class ServerConfigFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Apply_WithEngineStyleYamlStrings_ReadsEveryKey()
    {
        var file = Write("config.yml", "port: \"4511\"\nhost: 127.0.0.1\nssl_crt: /etc/crt.pem\nssl_key: /etc/key.pem\ndata: /srv/spiro\nmax_body_size: 3G\nmax_concurrent_deploys: 2\nkeep_releases: 5\nhighstate_timeout: 5m\n");
        var errors = new List<string>();

        var options = ServerConfigFile.Apply(new ServerOptions(), file, errors);

        Assert.Empty(errors);
        Assert.Equal(4511, options.Port);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal("/etc/crt.pem", options.SslCrt);
        Assert.Equal("/srv/spiro", options.Data);
        Assert.Equal(3L << 30, options.MaxBodySize);
        Assert.Equal(2, options.MaxConcurrentDeploys);
        Assert.Equal(5, options.KeepReleases);
        Assert.Equal(TimeSpan.FromMinutes(5), options.HighstateTimeout);
    }

    [Fact]
    public void Apply_WithJson_Works()
    {
        var errors = new List<string>();

        var options = ServerConfigFile.Apply(new ServerOptions(), Write("c.json", "{\"port\": 4600, \"host\": \"::1\"}"), errors);

        Assert.Empty(errors);
        Assert.Equal(4600, options.Port);
        Assert.Equal("::1", options.Host);
    }

    [Theory]
    [InlineData("prot: 4510\n", "prot: unknown setting")]
    [InlineData("port: many\n", "port: 'many' is not a port number")]
    [InlineData("max_body_size: 2X\n", "max_body_size:")]
    public void Apply_WithBadKey_NamesTheKey(string yaml, string expected)
    {
        var errors = new List<string>();

        ServerConfigFile.Apply(new ServerOptions(), Write("bad.yml", yaml), errors);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(100_000, "(rule yaml-too-deep)")]
    [InlineData(0, "(rule yaml-too-many-nodes)")]
    public void Apply_WithHostileYaml_IsAnErrorNotACrash(int depth, string expected)
    {
        var errors = new List<string>();
        var yaml = depth > 0
            ? "port: " + new string('[', depth) + "\n"
            : "a: &a [" + string.Join(",", Enumerable.Repeat("x", 100)) + "]\nb: [" + string.Join(",", Enumerable.Repeat("*a", 200)) + "]\n";

        ServerConfigFile.Apply(new ServerOptions(), Write("hostile.yml", yaml), errors);

        Assert.Contains(errors, e => e.EndsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NamesEveryBadKey()
    {
        var errors = new ServerOptions { Port = 70000, SslCrt = "/x.pem", MaxConcurrentDeploys = 0 }.Validate();

        Assert.Contains(errors, e => e.StartsWith("port:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ssl_key:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("max_concurrent_deploys:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RefusesTimersLongerThanDotNetTimersTake_WhereverTheyCameFrom()
    {
        var errors = new ServerOptions
        {
            KeepAliveInterval = TimeSpan.FromDays(60),
            ShutdownTimeout = TimeSpan.FromDays(50),
            HighstateTimeout = TimeSpan.FromDays(365),
            Dashboard = new() { SessionLifetime = TimeSpan.FromDays(56) },
        }.Validate();

        foreach (var key in new[] { "keepalive_interval", "shutdown_timeout", "highstate_timeout", "dashboard_session" })
        {
            Assert.Contains(errors, e => e.StartsWith(key + ": at most 49 days", StringComparison.Ordinal));
        }

        Assert.Empty(new ServerOptions { KeepAliveInterval = TimeSpan.FromDays(49) }.Validate());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
