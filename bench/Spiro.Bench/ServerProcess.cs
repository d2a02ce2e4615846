using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Spiro.Bench;

/// <summary><c>spiro serve</c> as a child process (the spiro.dll next to this harness), so its memory is its own.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public static string Spiro => Path.Combine(AppContext.BaseDirectory, "spiro.dll");

    public static Task<ServerProcess> StartAsync(string data, string? crt = null, string? key = null, params string[] extra) =>
        StartAsync(data, crt, key, perfMap: false, extra);

    /// <param name="perfMap">Run the server with <c>DOTNET_PerfMapEnabled=1</c>, so <c>perf</c> can name its jitted frames.</param>
    public static async Task<ServerProcess> StartAsync(string data, string? crt, string? key, bool perfMap, params string[] extra)
    {
        var port = FreePort();
        var args = new List<string> { Spiro, "serve", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", data, "--salt-command", "none" };
        if (crt is not null)
        {
            args.AddRange(["--ssl-crt", crt, "--ssl-key", key!]);
        }

        args.AddRange(extra);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ForEach(start.ArgumentList.Add);
        if (perfMap)
        {
            start.Environment["DOTNET_PerfMapEnabled"] = "1";
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var scheme = crt is null ? "http" : "https";
        var server = new ServerProcess(process, new Uri($"{scheme}://127.0.0.1:{port}/"));
        await server.WaitUntilListeningAsync(port);
        return server;
    }

    public static string Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(Spiro);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }

    /// <summary>Peak resident set size (VmHWM) of the server so far, in bytes.</summary>
    public long PeakRss()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    /// <summary>CPU time (user + system) the server has used so far.</summary>
    public TimeSpan CpuTime() => Measure.CpuTime(_process.Id.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Waits until the server has used no CPU for half a second (at most 30 s): tiered compilation
    /// recompiles hot methods on a background thread after they ran, so a measurement started
    /// right after a warm-up would still pay for it.
    /// </summary>
    public async Task WaitUntilIdleAsync()
    {
        var last = CpuTime();
        for (var i = 0; i < 60; i++)
        {
            await Task.Delay(500);
            var now = CpuTime();
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        for (var i = 0; i < 300; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"spiro serve exited with {_process.ExitCode}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("spiro serve did not start listening");
    }
}
