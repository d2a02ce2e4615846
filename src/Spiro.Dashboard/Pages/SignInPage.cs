namespace Spiro.Dashboard.Pages;

/// <summary>The token form. The token goes in a POST body only; the page never echoes it back.</summary>
internal static class SignInPage
{
    public const string TokenField = "token";

    public static string Render(PageContext context, string? problem) =>
        PageShell.Render(context, "Sign in", h =>
        {
            if (problem is not null)
            {
                h.Element("p", problem, ("class", "problem"), ("role", "alert"));
            }

            h.Element("p", "Sign in with a SpiroFS token (the same tokens as the API: spiro token issue ...). You see the projects and deployments its scope covers.");
            PageShell.Form(h, context, DashboardPaths.SignIn, "Sign in", fields =>
            {
                fields.Element("label", "Token", ("for", "token"));
                fields.Void("input", ("type", "password"), ("id", "token"), ("name", TokenField), ("autocomplete", "off"), ("required", ""), ("autofocus", ""));
            }, "signin");
        });
}
