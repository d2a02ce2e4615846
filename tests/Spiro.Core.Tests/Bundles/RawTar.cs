using System.Text;

namespace Spiro.Core.Tests.Bundles;

/// <summary>Hand-made tar blocks for archives no well-behaved writer produces.</summary>
internal static class RawTar
{
    public static byte[] Header(string name, char type, long size) =>
        Header(name, type, Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0"));

    /// <summary>A header with a raw 12-byte size field (GNU base-256, odd padding, ...).</summary>
    public static byte[] Header(string name, char type, byte[] sizeField)
    {
        var header = new byte[512];
        Ascii(header, 0, name);
        Ascii(header, 100, "0000644\0");
        Ascii(header, 108, "0000000\0");
        Ascii(header, 116, "0000000\0");
        sizeField.CopyTo(header, 124);
        Ascii(header, 136, "00000000000\0");
        header[156] = (byte)type;
        Ascii(header, 257, "ustar\0");
        Ascii(header, 263, "00");
        Ascii(header, 148, "        ");
        var sum = header.Sum(b => b);
        Ascii(header, 148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }

    /// <summary>PAX records "LEN key=value\n", where LEN counts the whole record including itself.</summary>
    public static byte[] PaxData(params (string Key, string Value)[] records)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in records)
        {
            var body = $" {key}={value}\n";
            var length = body.Length + 1;
            while ((length.ToString(System.Globalization.CultureInfo.InvariantCulture) + body).Length != length)
            {
                length++;
            }

            text.Append(length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(body);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] Padded(byte[] data) => [.. data, .. new byte[(512 - (data.Length % 512)) % 512]];

    public static byte[] End() => new byte[1024];

    private static void Ascii(byte[] header, int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
}
