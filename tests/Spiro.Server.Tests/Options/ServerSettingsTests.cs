using Spiro.Server.Options;

namespace Spiro.Server.Tests.Options;

public sealed class ServerSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_FlagBeatsEnvironmentBeatsFileBeatsDefault()
    {
        var file = Write("serve.yaml", "port: 4601\nhost: 127.0.0.2\ndata: /srv/from-file\nkeep_releases: 3\n");
        var environment = new Dictionary<string, string> { ["SPIRO_PORT"] = "4602", ["SPIRO_HOST"] = "127.0.0.3", ["SPIRO_DATA"] = "/srv/from-env" };

        var (options, errors) = ServerSettings.Load(new ServerSettingSources
        {
            ConfigFile = file,
            Environment = environment.GetValueOrDefault,
            Flags = new Dictionary<string, string> { ["port"] = "4603" },
        });

        Assert.Empty(errors);
        Assert.Equal(4603, options.Port);
        Assert.Equal("127.0.0.3", options.Host);
        Assert.Equal("/srv/from-env", options.Data);
        Assert.Equal(3, options.KeepReleases);
        Assert.Equal(new ServerOptions().MaxConcurrentDeploys, options.MaxConcurrentDeploys);
    }

    [Fact]
    public void Load_WithEmptyEnvironmentVariable_KeepsTheFileValue()
    {
        var (options, errors) = ServerSettings.Load(new ServerSettingSources
        {
            ConfigFile = Write("serve.yaml", "max_body_size: 1G\n"),
            Environment = name => name == "SPIRO_MAX_BODY_SIZE" ? "" : null,
        });

        Assert.Empty(errors);
        Assert.Equal(1L << 30, options.MaxBodySize);
    }

    [Theory]
    [InlineData("SPIRO_PORT", "many", "port: 'many' is not a port number (environment SPIRO_PORT)")]
    [InlineData("SPIRO_HIGHSTATE_TIMEOUT", "1y", "highstate_timeout: '1y' is not a duration (e.g. 10m) (environment SPIRO_HIGHSTATE_TIMEOUT)")]
    [InlineData("SPIRO_DASHBOARD", "maybe", "dashboard: 'maybe' is not true or false (environment SPIRO_DASHBOARD)")]
    public void Load_WithBadEnvironmentValue_NamesTheKeyAndTheVariable(string variable, string value, string expected)
    {
        var (_, errors) = ServerSettings.Load(new ServerSettingSources { Environment = name => name == variable ? value : null });

        Assert.Equal([expected], errors);
    }

    [Theory]
    [InlineData("keep_releases", "ten", "keep_releases: 'ten' is not a whole number (flag --keep-releases)")]
    [InlineData("max_body_size", "2X", "max_body_size: '2X' is not a size (e.g. 2G) (flag --max-body-size)")]
    [InlineData("max_bodysize", "2G", "max_bodysize: unknown setting")]
    [InlineData("port", "70000", "port: 70000 is not a TCP port (0-65535)")]
    public void Load_WithBadFlag_NamesTheKey(string key, string value, string expected)
    {
        var (_, errors) = ServerSettings.Load(new ServerSettingSources
        {
            Environment = _ => null,
            Flags = new Dictionary<string, string> { [key] = value },
        });

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Load_ValidatesTheMergedResult_NotEachSourceAlone()
    {
        // The certificate from the file and the key from a flag make a valid pair only together.
        var (options, errors) = ServerSettings.Load(new ServerSettingSources
        {
            ConfigFile = Write("serve.yaml", "ssl_crt: /etc/spiro/crt.pem\n"),
            Environment = _ => null,
            Flags = new Dictionary<string, string> { ["ssl_key"] = "/etc/spiro/key.pem" },
        });

        Assert.Empty(errors);
        Assert.True(options.UsesTls);
        Assert.Equal(["ssl_key: required when ssl_crt is set"], ServerSettings.LoadFile(Write("half.yaml", "ssl_crt: /etc/spiro/crt.pem\n")).Errors);
    }

    [Fact]
    public void LoadFile_IgnoresTheEnvironment()
    {
        var (options, errors) = ServerSettings.LoadFile(Write("serve.yaml", "data: /srv/from-file\n"));

        Assert.Empty(errors);
        Assert.Equal("/srv/from-file", options.Data);
    }

    [Fact]
    public void EverySetting_IsSpelledTheSameAsFlagAndVariable()
    {
        var settings = ServerSettingKeys.All;

        Assert.Equal(settings.Count, settings.Select(s => s.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("--max-body-size", ServerSettingKeys.Find("max_body_size")!.Flag);
        Assert.Equal("SPIRO_MAX_BODY_SIZE", ServerSettingKeys.Find("max_body_size")!.Variable);
        Assert.Null(ServerSettingKeys.Find("cluster"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
