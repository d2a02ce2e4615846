using System.Net;
using System.Text.Json;
using Spiro.Deploy.Cli;

namespace Spiro.Deploy.Deploying;

/// <summary>Maps a refused upload to an exit code and a message a person can act on.</summary>
internal static class StatusMapping
{
    public static int ExitCodeFor(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => ExitCodes.AuthRefused,
        400 or 413 or 415 or 422 => ExitCodes.BundleRejected,
        404 or 405 => ExitCodes.Usage,
        >= 500 => ExitCodes.ServerError,
        _ => ExitCodes.ServerError,
    };

    /// <summary>A refused <c>--apply</c>: a stale (409), expired (410) or unknown (404) plan is a refused request, not a server failure.</summary>
    public static int ExitCodeForApply(HttpStatusCode status) => (int)status switch
    {
        400 or 404 or 409 or 410 => ExitCodes.BundleRejected,
        _ => ExitCodeFor(status),
    };

    public static string DescribeApply(HttpStatusCode status, string body)
    {
        var what = (int)status switch
        {
            401 => "the server refused the token (check --token or SPIRO_TOKEN)",
            403 => "the token is not valid for this plan's project or deployment",
            404 => "the server has no such plan",
            409 => "the server refused to apply the plan",
            410 => "the plan expired",
            400 => "the server refused the request",
            _ => "the server failed",
        };
        var detail = Detail(body);
        return detail.Length == 0 ? $"{what} ({(int)status})" : $"{what} ({(int)status}): {detail}";
    }

    public static string Describe(HttpStatusCode status, string body)
    {
        var detail = Detail(body);
        var what = (int)status switch
        {
            401 => "the server refused the token (check --token or SPIRO_TOKEN)",
            403 => "the token is not valid for this project or deployment",
            400 or 422 => "the server rejected the bundle",
            409 => "the saltenv is locked by another deploy or admin command; try again",
            413 => "the bundle is larger than the server accepts",
            404 or 405 => "no deploy endpoint at this URL (check --server or SPIRO_URL)",
            _ => "the server failed",
        };
        return detail.Length == 0 ? $"{what} ({(int)status})" : $"{what} ({(int)status}): {detail}";
    }

    /// <summary>The server's own words: <c>msg</c>, <c>detail</c>, <c>title</c> or <c>error</c> of a JSON body, else the text.</summary>
    public static string Detail(string body)
    {
        var trimmed = body.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                foreach (var name in new[] { "msg", "detail", "title", "error" })
                {
                    if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString()!;
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: show the text.
            }
        }

        return trimmed.Length > 500 ? trimmed[..500] + "..." : trimmed;
    }
}
