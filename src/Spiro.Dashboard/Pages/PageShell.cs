using Spiro.Dashboard.Html;

namespace Spiro.Dashboard.Pages;

/// <summary>The frame of every page: head (embedded stylesheet and script only), navigation, sign-out form.</summary>
internal static class PageShell
{
    public const string CsrfField = "_csrf";

    public static string Render(PageContext context, string title, Action<Html.Html> body)
    {
        var h = new Html.Html();
        h.Doctype().Open("html", ("lang", "en")).Open("head");
        h.Void("meta", ("charset", "utf-8"));
        h.Void("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"));
        h.Element("title", title + " · SpiroFS");
        h.Void("link", ("rel", "stylesheet"), ("href", DashboardPaths.Asset("site.css")));
        h.Open("script", ("src", DashboardPaths.Asset("live.js")), ("defer", "")).Close("script");
        h.Close("head").Open("body");
        Navigation(h, context);
        h.Open("main");
        h.Element("h1", title);
        body(h);
        h.Close("main").Close("body").Close("html");
        return h.ToString();
    }

    /// <summary>A POST form with the anti-forgery field; <paramref name="fields"/> writes the rest.</summary>
    public static void Form(Html.Html h, PageContext context, string action, string button, Action<Html.Html>? fields = null, string? cssClass = null)
    {
        h.Open("form", ("method", "post"), ("action", action), ("class", cssClass));
        h.Void("input", ("type", "hidden"), ("name", CsrfField), ("value", context.Csrf));
        fields?.Invoke(h);
        h.Element("button", button, ("type", "submit"));
        h.Close("form");
    }

    private static void Navigation(Html.Html h, PageContext context)
    {
        h.Open("header").Open("nav");
        h.Link(DashboardPaths.Overview, "SpiroFS", "brand");
        if (context.Viewer is { } viewer)
        {
            h.Link(DashboardPaths.Overview, "Overview");
            if (viewer.IsRootAdmin)
            {
                h.Link(DashboardPaths.Tokens, "Tokens");
                h.Link(DashboardPaths.Audit, "Audit log");
            }

            h.Open("span", ("class", "who")).Text("signed in as ").Element("b", viewer.Token.Actor).Close("span");
            Form(h, context, DashboardPaths.SignOut, "Sign out", cssClass: "signout");
        }

        h.Close("nav").Close("header");
    }
}
