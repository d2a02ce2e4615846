using System.Text.Json;

namespace Spiro.Cli.Tests.Doctor;

/// <summary>
/// <c>spiro doctor</c> through the real entry point on a config directory of its own (the package
/// tests run the installed one against the packaged config and every broken variant, as root).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DoctorCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spiro-doctor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Etc => Path.Combine(_dir, "etc");

    private string Data => Path.Combine(_dir, "data");

    // A config that is right in every check that needs no root: the adapter installed by spiro
    // salt install, the backend after roots, the engine on a free port, a salt that answers.
    private async Task WriteRightConfigAsync(string? fileserverBackend = null, string extra = "")
    {
        await CliApp.RunAsync(["salt", "install", "--dir", Path.Combine(_dir, "modules")], TextWriter.Null, TextWriter.Null);
        Directory.CreateDirectory(Path.Combine(Etc, "master.d"));
        Directory.CreateDirectory(Data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var salt = Path.Combine(_dir, "salt");
        await File.WriteAllTextAsync(salt, "#!/bin/sh\ncase \"$1\" in --version) echo 'salt 3006.0' ;; *) printf '{\\n    \"m1\": true\\n}\\n' ;; esac\n");
        File.SetUnixFileMode(salt, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await File.WriteAllTextAsync(Path.Combine(Etc, "master"), $"user: {Environment.UserName}\n");
        await File.WriteAllTextAsync(Path.Combine(Etc, "master.d", "spiro.conf"), $"""
            module_dirs:
              - {_dir}/modules
            fileserver_backend: {fileserverBackend ?? "[roots, spiro]"}
            spiro_data: {Data}
            engines:
              - spiro:
                  port: {port}
                  host: 127.0.0.1
                  salt_command: {salt}
            {extra}
            """);
    }

    private async Task<(int Code, JsonElement Json)> DoctorAsync()
    {
        var output = new StringWriter();
        var code = await CliApp.RunAsync(["doctor", "-c", Etc, "--json"], output, TextWriter.Null);
        return (code, JsonDocument.Parse(output.ToString()).RootElement.Clone());
    }

    private static JsonElement Check(JsonElement json, string name) =>
        json.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("check").GetString() == name);

    [Fact]
    public async Task Doctor_OnARightConfig_ExitsZero_WithOnlyThePlainHttpWarning()
    {
        await WriteRightConfigAsync();

        var (code, json) = await DoctorAsync();

        Assert.True(code == ExitCodes.Ok, json.ToString());
        Assert.Equal(0, json.GetProperty("failed").GetInt32());
        Assert.Equal("warn", Check(json, "tls").GetProperty("status").GetString());
        foreach (var ok in new[] { "adapter", "module_dirs", "fileserver_backend", "spiro_data", "engine", "port", "salt", "audit", "manifests" })
        {
            Assert.True(Check(json, ok).GetProperty("status").GetString() == "ok", Check(json, ok).ToString());
        }
    }

    [Fact]
    public async Task Doctor_WithoutTheSpiroBackend_FailsThatCheckWithItsFix_AndExitsOne()
    {
        await WriteRightConfigAsync(fileserverBackend: "[roots]");

        var (code, json) = await DoctorAsync();

        Assert.Equal(ExitCodes.Rejected, code);
        var check = Check(json, "fileserver_backend");
        Assert.Equal("fail", check.GetProperty("status").GetString());
        Assert.Contains("uncomment block 2 (fileserver_backend)", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WithBackendBeforeRoots_Warns_AndStillExitsZero()
    {
        await WriteRightConfigAsync(fileserverBackend: "[spiro, roots]");

        var (code, json) = await DoctorAsync();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("warn", Check(json, "fileserver_backend").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Doctor_WithNoConfigDirectory_FailsNamingIt()
    {
        var (code, json) = await DoctorAsync();

        Assert.Equal(ExitCodes.Rejected, code);
        Assert.Contains(Etc, Check(json, "config").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_InScaleMode_SaysSo_AndExitsZero()
    {
        await WriteRightConfigAsync(extra: "master_tops:\n  spiro: {}");

        var (code, json) = await DoctorAsync();

        Assert.True(code == ExitCodes.Ok, json.ToString());
        var check = Check(json, "scale_mode");
        Assert.Equal("ok", check.GetProperty("status").GetString());
        Assert.StartsWith("scale mode (master_tops: spiro from ", check.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_InScaleModeWithMergeAll_WarnsThatItIsNotModelled()
    {
        await WriteRightConfigAsync(extra: "master_tops:\n  spiro: {}\ntop_file_merging_strategy: merge_all");

        var (_, json) = await DoctorAsync();

        var check = Check(json, "scale_mode");
        Assert.Equal("warn", check.GetProperty("status").GetString());
        Assert.Contains("merge_all", check.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, "ok")]
    [InlineData(120, "warn")]
    public async Task Doctor_InDefaultMode_CountsLiveSaltenvs_AndAdvisesScaleModeWhenThereAreMany(int saltenvs, string status)
    {
        await WriteRightConfigAsync();
        for (var i = 0; i < saltenvs; i++)
        {
            var project = Path.Combine(Data, "envs", $"p{i % 7}");
            Directory.CreateDirectory(project);
            File.CreateSymbolicLink(Path.Combine(project, $"d{i}"), "../../releases/20261201T000000Z-0000000" + (i % 10));
        }

        // A temporary symlink of a flip in progress is not a saltenv (docs/storage.md).
        File.CreateSymbolicLink(Path.Combine(Data, "envs", "p0", ".d0.x.tmp"), "../../releases/none");

        var (_, json) = await DoctorAsync();

        var check = Check(json, "scale_mode");
        Assert.Equal(status, check.GetProperty("status").GetString());
        Assert.Contains($"each of the {saltenvs} live saltenv(s)", check.GetProperty("message").GetString(), StringComparison.Ordinal);
        if (status == "warn")
        {
            Assert.Contains("spiro salt install --dir DIR --scale", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
        }
    }
}
