using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Spiro.Dashboard.Tests.Support;

/// <summary>
/// A real <c>spiro serve</c> child process on a free loopback port with its own data directory,
/// highstating through tests/fake-salt (its samples copied so a test can plant payloads in them).
/// </summary>
internal sealed partial class SpiroServe : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SpiroServe(string root, Process process)
    {
        Root = root;
        _process = process;
    }

    public string Root { get; }

    public string Data => Path.Combine(Root, "data");

    public Uri Url { get; private set; } = null!;

    /// <summary>Everything the server printed so far (stdout and stderr).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="root">A fresh directory the server and its samples live in.</param>
    /// <param name="saltDelaySeconds">Seconds the fake salt waits before each output line (a highstate that takes a while).</param>
    public static async Task<SpiroServe> StartAsync(string root, double saltDelaySeconds)
    {
        var samples = Path.Combine(root, "salt-samples");
        Directory.CreateDirectory(samples);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "salt-samples")))
        {
            File.Copy(file, Path.Combine(samples, Path.GetFileName(file)));
        }

        var fake = Path.Combine(AppContext.BaseDirectory, "fake-salt", "salt");
        File.SetUnixFileMode(fake, File.GetUnixFileMode(fake) | UnixFileMode.UserExecute);
        var config = Path.Combine(root, "spiro.yaml");
        File.WriteAllText(config, $"salt_command: {fake}\nkeepalive_interval: 1s\nshutdown_timeout: 2s\n");
        var info = ChildRun.Info(Executables.Spiro, ["serve", "--host", "127.0.0.1", "--port", "0", "--data", Path.Combine(root, "data"), "--config", config], root);
        info.Environment["FAKE_SALT_SAMPLES"] = samples;
        info.Environment["FAKE_SALT_DELAY"] = saltDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var server = new SpiroServe(root, Process.Start(info)!);
        await server.WaitForListeningAsync();
        return server;
    }

    /// <summary>The copied sample file <paramref name="name"/> (tests rewrite it to plant payloads).</summary>
    public string Sample(string name) => Path.Combine(Root, "salt-samples", name);

    /// <summary>Runs <c>spiro ARGS --data DATA</c>; throws unless it exits 0.</summary>
    public async Task<string> SpiroAsync(params string[] args)
    {
        var (code, output, error) = await ChildRun.RunAsync(Executables.Spiro, [.. args, "--data", Data]);
        return code == 0 ? output.Trim() : throw new InvalidOperationException($"spiro {string.Join(' ', args)} exited {code}: {error}");
    }

    /// <summary>Runs <c>spiro-deploy PROJECT DEPLOYMENT</c> from <paramref name="repository"/>.</summary>
    public Task<(int ExitCode, string Output, string Error)> DeployAsync(string repository, string token, string project, string deployment) =>
        ChildRun.RunAsync(Executables.SpiroDeploy, [project, deployment, "--server", Url.ToString(), "--token", token, "--no-color"], repository);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitForListeningAsync()
    {
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(e.Data);
            }

            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        }

        _process.OutputDataReceived += OnLine;
        _process.ErrorDataReceived += OnLine;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var done = await Task.WhenAny(listening.Task, _process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        Url = done == listening.Task ? await listening.Task : throw new InvalidOperationException("spiro serve did not start:\n" + Log);
    }

    [GeneratedRegex(@"SpiroFS server listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
