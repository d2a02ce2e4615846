namespace Spiro.Server.Auth;

/// <summary>Reads the token from <c>Authorization: Bearer ...</c>; the scheme is matched case-insensitively (the original client sends <c>bearer</c>).</summary>
internal static class BearerToken
{
    /// <summary>The token, or null when the header is absent or not a bearer credential.</summary>
    public static string? From(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        var value = authorization.Trim();
        const string scheme = "Bearer ";
        if (value.Length <= scheme.Length || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            // A header that is present but not bearer is a malformed credential, not a missing one.
            return "";
        }

        return value[scheme.Length..].Trim();
    }
}
