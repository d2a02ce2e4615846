namespace Spiro.Dashboard.Pages;

/// <summary>"Are you sure?" before a state-changing action: the action runs only from this page's POST form.</summary>
internal static class ConfirmPage
{
    public static string Render(PageContext context, string title, string question, string action, string button, IReadOnlyList<(string Name, string Value)> fields, string cancel) =>
        PageShell.Render(context, title, h =>
        {
            h.Element("p", question, ("class", "question"));
            PageShell.Form(h, context, action, button, f =>
            {
                foreach (var (name, value) in fields)
                {
                    f.Void("input", ("type", "hidden"), ("name", name), ("value", value));
                }
            }, "confirm");
            h.Link(cancel, "Cancel");
        });
}
