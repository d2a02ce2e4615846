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
        SeedConfig = await InstallAdapterAsync(Layout.ModuleDir, Layout.SpiroData, Layout.SpiroPort, cancellationToken);
        WriteMasterConfig("spiro.conf", SeedConfig);
        if (Layout.HasSecondMaster)
        {
            Directory.CreateDirectory(Layout.SecondMasterIncludeDir);
            Directory.CreateDirectory(Layout.SecondSpiroData);
            File.WriteAllText(Path.Combine(Layout.SecondMasterConfigDir, "master"), Layout.SecondMasterConfig(user));
            var second = await InstallAdapterAsync(Layout.SecondModuleDir, Layout.SecondSpiroData, Layout.SecondSpiroPort, cancellationToken);
            File.WriteAllText(Path.Combine(Layout.SecondMasterIncludeDir, "spiro.conf"), second);
            WriteSharedMasterKey();
        }
    }

    // Multi-master needs one master key pair on every master: a minion caches the first master's
    // public key and refuses the other's sign-in ("Unable to decrypt message") when they differ.
    private void WriteSharedMasterKey()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        foreach (var configDir in new[] { Layout.MasterConfigDir, Layout.SecondMasterConfigDir })
        {
            var pki = Path.Combine(configDir, "pki");
            Directory.CreateDirectory(pki);
            var pem = Path.Combine(pki, "master.pem");
            File.WriteAllText(pem, key.ExportRSAPrivateKeyPem() + "\n");
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("the Salt lab runs on Linux");
            }

            File.SetUnixFileMode(pem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(Path.Combine(pki, "master.pub"), key.ExportSubjectPublicKeyInfoPem() + "\n");
        }
    }

    // `spiro salt install` writes the adapter into moduleDir and prints the seed config, whose TLS
    // paths the lab replaces with its generated certificate.
    private async Task<string> InstallAdapterAsync(string moduleDir, string data, int port, CancellationToken cancellationToken)
    {
        var install = await ProcessRunner.RunAsync(
            SpiroCli,
            ["salt", "install", "--dir", moduleDir, "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            _options.CommandTimeout, cancellationToken: cancellationToken);
        if (install.ExitCode != 0 || !install.Output.Contains(SeedCertificate, StringComparison.Ordinal) || !install.Output.Contains(SeedKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"spiro salt install did not print the expected seed config:\n{install}");
        }

        return install.Output.Replace(SeedCertificate, Certificate.CertificateFile, StringComparison.Ordinal)
            .Replace(SeedKey, Certificate.KeyFile, StringComparison.Ordinal);
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
            var masters = new[] { Master, SecondMaster }.Where(IsRunning).ToList();
            if (IsRunning(SecondMaster))
            {
                step = $"the second master's request port on {SaltLabLayout.SecondMasterAddress}";
                await UntilAsync(() => LoopbackPorts.IsListeningAsync(Layout.RetPort, System.Net.IPAddress.Parse(SaltLabLayout.SecondMasterAddress)), deadline.Token);
            }

            var minions = SaltLabLayout.MinionIds.Where(IsRunning).ToList();
            // Every minion holds one publish connection per master (the masters share the port number).
            step = $"{minions.Count} minion(s) on the publish port of {masters.Count} master(s)";
            await UntilAsync(() => Task.FromResult(LoopbackPorts.EstablishedTo(Layout.PublishPort) >= minions.Count * masters.Count), deadline.Token);
            foreach (var master in masters)
            {
                step = $"test.ping of {string.Join(", ", minions)} from {master}";
                await UntilAsync(() => PingAsync(master, minions), deadline.Token);
            }

            step = $"spiro serve on port {Layout.SpiroPort}";
            await UntilAsync(() => LoopbackPorts.IsListeningAsync(Layout.SpiroPort), deadline.Token);
            if (IsRunning(SecondMaster))
            {
                step = $"the second master's spiro serve on port {Layout.SecondSpiroPort}";
                await UntilAsync(() => LoopbackPorts.IsListeningAsync(Layout.SecondSpiroPort), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the Salt lab in {Layout.Root} was not ready after {_options.ReadyTimeout}: waiting for {step}\n{LogTails()}");
        }
    }

    private async Task<bool> PingAsync(string master, List<string> minions)
    {
        if (minions.Count == 0)
        {
            return true;
        }

        var result = await RunOnAsync(master, "salt", ["-L", string.Join(',', minions), "test.ping", "-t", "10", "--out=json", "--static"], TimeSpan.FromSeconds(30));
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
        using var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(Certificate.CertificateFile));
        var expected = trusted.RawData;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawData.AsSpan().SequenceEqual(expected),
        };
        return new HttpClient(handler) { BaseAddress = SpiroUrl, Timeout = _options.CommandTimeout };
    }}
