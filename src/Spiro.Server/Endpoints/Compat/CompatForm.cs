using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Spiro.Server.Endpoints.Compat;

/// <summary>
/// The compatible endpoint's multipart form, read as a stream: the small fields first, stopping at
/// the <c>bundle</c> file so its bytes go straight to the store (the Python client sends fields first).
/// Only <c>project</c>, <c>deployment</c> and <c>highstate</c> are kept; other fields are read past
/// (each bounded) without being stored, and more than <see cref="MaxParts"/> parts is refused, so
/// a client cannot make the server hold more than a few KiB before the bundle.
/// </summary>
internal sealed record CompatForm(string? Project, string? Deployment, bool Highstate, MultipartSection? Bundle, string? Error)
{
    /// <summary>The original client sends at most four parts (project, deployment, highstate, bundle).</summary>
    public const int MaxParts = 8;

    private const int MaxFieldBytes = 4096;

    private static readonly string[] KeptFields = ["project", "deployment", "highstate"];

    public static async Task<CompatForm> ReadAsync(string? contentType, Stream body, long maxBodySize, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Fail("expected multipart/form-data with fields project, deployment, highstate and file bundle");
        }

        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = maxBodySize };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (++parts > MaxParts)
                {
                    return Fail($"more than {MaxParts} form parts; expected project, deployment, highstate and bundle");
                }

                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    return Fail("every part must be form-data");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name == "bundle")
                {
                    return WithBundle(fields, section);
                }

                var value = await ReadFieldAsync(section.Body, cancellationToken).ConfigureAwait(false);
                if (Array.IndexOf(KeptFields, name) >= 0)
                {
                    fields[name] = value;
                }
            }
        }
        catch (InvalidDataException e)
        {
            return Fail($"malformed multipart body: {e.Message}");
        }
        catch (IOException e) when (e is not Deploys.BodyTooLargeException && !cancellationToken.IsCancellationRequested)
        {
            // MultipartReader throws a bare IOException when the body stops inside a part.
            return Fail("malformed multipart body: it ends inside a form part (truncated upload?)");
        }

        return Fail("the file field bundle is missing");
    }

    // The bundle part is streamed, not read: the fields it needs must have come first.
    private static CompatForm WithBundle(Dictionary<string, string> fields, MultipartSection bundle)
    {
        fields.TryGetValue("project", out var project);
        fields.TryGetValue("deployment", out var deployment);
        if (project is null || deployment is null)
        {
            return Fail("the fields project and deployment must come before the bundle file");
        }

        fields.TryGetValue("highstate", out var highstate);
        return new CompatForm(project, deployment, !string.IsNullOrEmpty(highstate), bundle, null);
    }

    private static CompatForm Fail(string message) => new(null, null, false, null, message);

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > MaxFieldBytes)
            {
                throw new InvalidDataException($"a form field is longer than {MaxFieldBytes} bytes");
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }
}
