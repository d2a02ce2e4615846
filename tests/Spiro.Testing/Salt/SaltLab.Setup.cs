using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Spiro.Testing.Salt;

/// <summary>Writing the lab's files and waiting until its daemons are ready.</summary>
public sealed partial class SaltLab
{
    // The paths `spiro salt install` prints for the seed's TLS keys; the lab substitutes its own files.
    private const string SeedCertificate = "/etc/pki/tls/certs/spiro.crt";
    private const string SeedKey = "/etc/pki/tls/private/spiro.key";

    /// <summary>
    /// The adapter's master config as <c>spiro salt install</c> printed it (the seed config), with only the
    /// TLS paths replaced by the lab's generated certificate; the lab writes it to <c>master.d/spiro.conf</c>.
    /// </summary>
    public string SeedConfig { get; private set; } = "";

    private static readonly string[] Tools = ["salt", "salt-run", "salt-call", "salt-key", "salt-cp", "salt-master", "salt-minion"];

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        // A minion's socket paths must fit in sun_path (108 bytes).
        if (Layout.MinionConfigDir("m1").Length > 60)
        {
            throw new InvalidOperationException($"the lab directory {Layout.Root} is too long for Salt's unix sockets; use a shorter path");
        }

        foreach (var dir in new[] { Layout.BinDir, Layout.MasterIncludeDir, Layout.ModuleDir, Layout.SpiroData, Layout.FileRoots, Layout.TlsDir })
        {
            Directory.CreateDirectory(dir);
        }

        var user = Environment.UserName;
        foreach (var tool in Tools)
        {
            WriteExecutable(Path.Combine(Layout.BinDir, tool), "#!/bin/sh\n" + DefaultConfig(tool) + Source.Launcher(tool) + "\n");
        }

        WriteExecutable(Path.Combine(Layout.BinDir, "spiro"), $"#!/bin/sh\nexec {Shell.Quote(SpiroCli)} \"$@\"\n");
        File.WriteAllText(Path.Combine(Layout.MasterConfigDir, "master"), Layout.MasterConfig(user));
        foreach (var id in SaltLabLayout.MinionIds)
        {
            Directory.CreateDirectory(Layout.MinionConfigDir(id));
            File.WriteAllText(Path.Combine(Layout.MinionConfigDir(id), "minion"), Layout.MinionConfig(id, user));
        }

        _ = TestCertificate.Create(Layout.TlsDir, "spiro.crt", "spiro.key");
        var install = await ProcessRunner.RunAsync(
            SpiroCli,
            ["salt", "install", "--dir", Layout.ModuleDir, "--data", Layout.SpiroData, "--port", Layout.SpiroPort.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            _options.CommandTimeout, cancellationToken: cancellationToken);
        if (install.ExitCode != 0 || !install.Output.Contains(SeedCertificate, StringComparison.Ordinal) || !install.Output.Contains(SeedKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"spiro salt install did not print the expected seed config:\n{install}");
        }

        SeedConfig = install.Output.Replace(SeedCertificate, Certificate.CertificateFile, StringComparison.Ordinal)
            .Replace(SeedKey, Certificate.KeyFile, StringComparison.Ordinal);
        WriteMasterConfig("spiro.conf", SeedConfig);
    }

    // By hand, `salt`, `salt-run`, `salt-key` and `salt-cp` from bin/ talk to this lab's master unless -c or
    // SALT_CONFIG_DIR says otherwise; salt-call needs -c <minion dir>.
    private string DefaultConfig(string tool) =>
        tool is "salt" or "salt-run" or "salt-key" or "salt-cp"
            ? $"SALT_CONFIG_DIR=${{SALT_CONFIG_DIR:-{Shell.Quote(Layout.MasterConfigDir)}}}\nexport SALT_CONFIG_DIR\n"
            : "";

    private static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the Salt lab runs on Linux");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>
    /// Ready means: the master accepts requests, every running minion holds its publish connection (a
    /// command published earlier is lost and times out), every running minion answers test.ping, and the
    /// engine's server accepts connections.
    /// </summary>
    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ReadyTimeout);
        var step = "the master's request port";
        try
        {
            await UntilAsync(() => LoopbackPorts.IsListeningAsync(Layout.RetPort), deadline.Token);
            var minions = SaltLabLayout.MinionIds.Where(IsRunning).ToList();
            step = $"{minions.Count} minion(s) on the publish port";
            await UntilAsync(() => Task.FromResult(LoopbackPorts.EstablishedTo(Layout.PublishPort) >= minions.Count), deadline.Token);
            step = $"test.ping of {string.Join(", ", minions)}";
            await UntilAsync(() => PingAsync(minions), deadline.Token);
            step = $"spiro serve on port {Layout.SpiroPort}";
            await UntilAsync(() => LoopbackPorts.IsListeningAsync(Layout.SpiroPort), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the Salt lab in {Layout.Root} was not ready after {_options.ReadyTimeout}: waiting for {step}\n{LogTails()}");
        }
    }

    private async Task<bool> PingAsync(List<string> minions)
    {
        if (minions.Count == 0)
        {
            return true;
        }

        var result = await SaltAsync(TimeSpan.FromSeconds(30), "-L", string.Join(',', minions), "test.ping", "-t", "10", "--out=json", "--static");
        try
        {
            return JsonNode.Parse(result.Output) is JsonObject answers && minions.All(id => answers[id]?.GetValue<bool>() == true);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>An HTTP client that trusts exactly the lab's deploy-server certificate.</summary>
    public HttpClient CreateHttpClient()
    {
        // The certificate alone: CreateFromPemFile would look for the private key in the same file.
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(Certificate.CertificateFile));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawData.AsSpan().SequenceEqual(trusted.RawData),
        };
        return new HttpClient(handler) { BaseAddress = SpiroUrl, Timeout = _options.CommandTimeout };
    }}
