namespace Spiro.Dashboard.Pages;

/// <summary>A page with one message: not found, refused, done, failed.</summary>
internal static class MessagePage
{
    /// <summary>
    /// The one "not found" text for anything the viewer may not see or that does not exist: the
    /// two must be indistinguishable so no page reveals whether another project exists.
    /// </summary>
    public const string NotFound = "Nothing here: it does not exist, or your token's scope does not cover it.";

    public static string Render(PageContext context, string title, string message, string? back = null) =>
        PageShell.Render(context, title, h =>
        {
            h.Element("p", message, ("class", "message"), ("id", "message"));
            h.Link(back ?? DashboardPaths.Overview, "Back");
        });
}
