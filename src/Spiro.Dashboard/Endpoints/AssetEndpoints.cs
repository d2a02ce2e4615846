using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;

namespace Spiro.Dashboard.Endpoints;

/// <summary>The stylesheet and script, from the assembly's embedded resources (no CDN, works offline).</summary>
internal static class AssetEndpoints
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string Type)> Assets = new Dictionary<string, (byte[], string)>
    {
        ["site.css"] = (Load("site.css"), "text/css; charset=utf-8"),
        ["live.js"] = (Load("live.js"), "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static void Map(RouteGroupBuilder ui) =>
        ui.MapGet("/assets/{name}", (string name, HttpResponse response) =>
        {
            if (!Assets.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            response.Headers.CacheControl = "no-cache";
            return Results.Bytes(asset.Bytes, asset.Type);
        });

    private static byte[] Load(string name)
    {
        using var stream = typeof(AssetEndpoints).Assembly.GetManifestResourceStream("Spiro.Dashboard.Assets." + name)
            ?? throw new InvalidOperationException($"embedded asset {name} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
