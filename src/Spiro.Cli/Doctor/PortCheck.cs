using System.Net.Sockets;
using System.Text.Json;

namespace Spiro.Cli.Doctor;

/// <summary>The deploy server's port is free (nothing runs yet) or answers as SpiroFS, and of which version.</summary>
internal static class PortCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<DoctorFinding?> RunAsync(DoctorContext context)
    {
        if (context.Server is not { } server || context.ServerErrors.Count > 0)
        {
            return null;
        }

        var host = server.Host is "0.0.0.0" or "::" or "*" or "+" or "" ? "127.0.0.1" : server.Host;
        var where = $"{host}:{server.Port}";
        var restart = context.Engine is not null ? "restart salt-master" : "systemctl restart spiro.service";
        using (var tcp = new TcpClient())
        {
            try
            {
                using var cancel = new CancellationTokenSource(Timeout);
                await tcp.ConnectAsync(host, server.Port, cancel.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return DoctorFinding.Ok("port", $"{where} is free: the deploy server is not running ({restart} starts it)");
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return DoctorFinding.Warn("port", $"cannot reach {where}: {e.Message}", $"check host and port in {context.ServerSource}");
            }
        }

        var scheme = server.SslCrt is null ? "http" : "https";
        using var handler = new HttpClientHandler
        {
            // A local probe of who answers; the tls check validates the certificate files themselves.
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true,
        };
        using var http = new HttpClient(handler) { Timeout = Timeout };
        string? name = null;
        string? version = null;
        string? failure = null;
        try
        {
            using var info = JsonDocument.Parse(await http.GetStringAsync(new Uri($"{scheme}://{where}/api/v1/info")));
            name = info.RootElement.TryGetProperty("name", out var n) ? n.GetString() : null;
            version = info.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or InvalidOperationException)
        {
            failure = e.Message;
        }

        if (name != "spirofs")
        {
            return DoctorFinding.Fail("port", $"{where} is taken by another program (GET /api/v1/info over {scheme}: {failure ?? "not SpiroFS"})",
                $"stop that program, or choose another port: port: in {context.ServerSource}");
        }

        return version == context.Version
            ? DoctorFinding.Ok("port", $"{where} answers: SpiroFS {version}")
            : DoctorFinding.Warn("port", $"{where} runs SpiroFS {version}, but this spiro is {context.Version}", $"{restart} to run {context.Version}");
    }
}
