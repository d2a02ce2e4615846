using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;
using Spiro.Testing;

namespace Spiro.Deploy.Tests.EndToEnd;

/// <summary>HTTPS to the real server with a certificate from a private CA.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TempDirectory scratch = new();
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public void Dispose()
    {
        repo.Dispose();
        scratch.Dispose();
    }

    private async Task<CliResult> DeployAsync(params string[] extra)
    {
        var certificates = TestCertificate.Create(scratch.Path, "server.pem");
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0), (certificates.CertificateFile, certificates.KeyFile));
        var args = extra.Select(a => a switch
        {
            "CA" => certificates.CaFile,
            "LEAF" => certificates.CertificateFile,
            _ => a,
        });
        Assert.Equal("https", server.Url.Scheme);
        return await CliRun.RunAsync([.. new[] { "--token", server.Issue("foo"), "--server", server.Url.ToString(), "--project-dir", repo.Path, "--no-highstate" }, .. args, "foo", "dev"]);
    }

    [Fact]
    public async Task UntrustedCertificate_IsATlsFailure_ExitsFive()
    {
        var result = await DeployAsync();

        Assert.True(result.ExitCode == ExitCodes.Network, result.ToString());
        Assert.Contains("TLS with", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SslCert_NamingTheCa_IsTrusted()
    {
        var result = await DeployAsync("--ssl-cert", "CA");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task SslCert_NamingTheServerCertificate_IsTrusted()
    {
        var result = await DeployAsync("--ssl-cert", "LEAF");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task Insecure_SkipsVerification()
    {
        var result = await DeployAsync("--insecure");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
    }
}
