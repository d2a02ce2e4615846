using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Spiro.Testing;

/// <summary>Free TCP ports on 127.0.0.1, and who is connected to them.</summary>
public static class LoopbackPorts
{
    private static readonly string[] Tables = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <summary><paramref name="count"/> distinct ports the kernel had free a moment ago.</summary>
    public static IReadOnlyList<int> Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }

    /// <summary>How many established TCP connections have <paramref name="port"/> as their local port (Linux /proc/net/tcp).</summary>
    public static int EstablishedTo(int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        var count = 0;
        foreach (var table in Tables.Where(File.Exists))
        {
            // "  sl  local_address rem_address   st ...": local "0100007F:1F90", state 01 = ESTABLISHED.
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == "01" && fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Whether something accepts connections on <paramref name="address"/> (default 127.0.0.1):<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, IPAddress? address = null)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address ?? IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
