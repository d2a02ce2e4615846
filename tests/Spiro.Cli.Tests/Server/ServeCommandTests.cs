using System.Diagnostics;

namespace Spiro.Cli.Tests.Server;

public sealed class ServeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spiro-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Serve_WithMissingCertificateFile_ExitsNamingTheFileAndNeverServesHttp()
    {
        var crt = Path.Combine(_dir, "missing", "server.crt");
        var key = Path.Combine(_dir, "missing", "server.key");

        var (code, error) = await RunSpiroAsync("serve", "--host", "127.0.0.1", "--port", "0", "--data", Path.Combine(_dir, "data"), "--ssl-crt", crt, "--ssl-key", key);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(crt, error, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Serve_WithBadConfigKey_ExitsNamingTheKey()
    {
        var config = Path.Combine(_dir, "spiro.yml");
        await File.WriteAllTextAsync(config, "port: 4510\nmax_bodysize: 2G\n");

        var (code, error) = await RunSpiroAsync("serve", "--config", config, "--data", Path.Combine(_dir, "data"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("max_bodysize: unknown setting", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithBadEnvironmentValue_ExitsNamingTheKeyAndTheVariable()
    {
        // The missing certificate makes a server that ignored the variable exit too, naming the file instead.
        var (code, error) = await RunSpiroAsync(
            new Dictionary<string, string> { ["SPIRO_MAX_BODY_SIZE"] = "lots" },
            "serve", "--host", "127.0.0.1", "--port", "0", "--data", Path.Combine(_dir, "data"), "--ssl-crt", Path.Combine(_dir, "none.crt"), "--ssl-key", Path.Combine(_dir, "none.key"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("max_body_size: 'lots' is not a size (e.g. 2G) (environment SPIRO_MAX_BODY_SIZE)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithBadFlagValue_ExitsNamingTheKey()
    {
        var (code, error) = await RunSpiroAsync("serve", "--port", "http", "--data", Path.Combine(_dir, "data"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("port: 'http' is not a port number (flag --port)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithDataInEnvironmentAndFile_UsesTheEnvironment_AndOnSigtermExitsZero()
    {
        var fromFile = Path.Combine(_dir, "from-file");
        var fromEnvironment = Path.Combine(_dir, "from-env");
        var config = Path.Combine(_dir, "serve.yaml");
        await File.WriteAllTextAsync(config, $"host: 127.0.0.1\nport: 0\nsalt_command: none\ndata: {fromFile}\n");

        var (code, output) = await ServeUntilListeningThenTerminateAsync(new Dictionary<string, string> { ["SPIRO_DATA"] = fromEnvironment }, "--config", config);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("shutting down", output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(fromEnvironment), output);
        Assert.False(Directory.Exists(fromFile));
    }

    [Fact]
    public async Task Serve_OnSigterm_ShutsDownGracefullyWithExitCodeZero()
    {
        var (code, output) = await ServeUntilListeningThenTerminateAsync([], "--host", "127.0.0.1", "--port", "0", "--data", Path.Combine(_dir, "data"), "--salt-command", "none");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("shutting down", output, StringComparison.Ordinal);
    }

    /// <summary>Starts <c>spiro serve ARGS</c>, waits for its listening line, sends SIGTERM and waits for it to exit.</summary>
    private static async Task<(int Code, string Output)> ServeUntilListeningThenTerminateAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = Start(environment, ["serve", .. args]);
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("SpiroFS server listening", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static ProcessStartInfo Start(Dictionary<string, string> environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spiro.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static Task<(int Code, string Error)> RunSpiroAsync(params string[] args) => RunSpiroAsync([], args);

    /// <summary>Runs the real <c>spiro</c> entry point as a child process (spiro.dll sits next to the tests).</summary>
    private static async Task<(int Code, string Error)> RunSpiroAsync(Dictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Start(environment, args))!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await error + await output);
    }
}
