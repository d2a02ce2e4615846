using System.Net.Http.Headers;
using System.Text;

namespace Spiro.Server.Tests.Support;

/// <summary>Builds requests exactly as the original Python client does with <c>requests</c>.</summary>
internal static class CompatClient
{
    /// <summary>
    /// <c>requests.post(url, data={project, deployment, highstate}, files={'bundle': f}, headers={'Authorization': 'bearer ...'})</c>:
    /// the data fields first, then the file part with a filename and no content type.
    /// </summary>
    public static HttpRequestMessage Deploy(string? token, byte[] bundle, string project = "foo", string deployment = "dev", bool highstate = false, bool bundleFirst = false)
    {
        var boundary = Guid.NewGuid().ToString("N");
        var head = new StringBuilder();
        var fields = new List<(string Name, string Value)> { ("project", project), ("deployment", deployment) };
        if (highstate)
        {
            fields.Add(("highstate", "True"));
        }

        var fieldText = string.Concat(fields.Select(f => $"--{boundary}\r\nContent-Disposition: form-data; name=\"{f.Name}\"\r\n\r\n{f.Value}\r\n"));
        var fileHead = $"--{boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"bundle.tar\"\r\n\r\n";
        var tail = $"\r\n--{boundary}--\r\n";
        using var body = new MemoryStream();
        if (!bundleFirst)
        {
            Write(body, fieldText);
        }

        Write(body, fileHead);
        body.Write(bundle);
        Write(body, bundleFirst ? "\r\n" + fieldText + $"--{boundary}--\r\n" : tail);

        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        request.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.31.0");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"bearer {token}");
        }

        return request;
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));
}
