using Spiro.Core.Metadata;
using Spiro.Dashboard.Html;

namespace Spiro.Dashboard.Pages;

/// <summary>The newest audit rows and whether the hash chain verifies.</summary>
internal static class AuditPage
{
    public static string Render(PageContext context, IReadOnlyList<AuditEntry> rows, string? broken, int limit) =>
        PageShell.Render(context, "Audit log", h =>
        {
            h.Element("p", broken is null ? "Hash chain verified: no row was edited or removed." : $"Hash chain BROKEN: {broken}",
                ("class", broken is null ? "verify ok" : "verify broken"), ("id", "audit-verify"));
            h.Element("p", $"The newest {Show.Number(Math.Min(limit, rows.Count))} rows, newest first.", ("class", "note"));
            h.Open("table", ("class", "grid"), ("id", "audit")).HeaderRow("#", "When", "Actor", "Action", "Target", "Outcome", "Detail").Open("tbody");
            foreach (var row in rows.Reverse())
            {
                h.Open("tr", ("class", row.Outcome));
                h.Element("td", Show.Number(row.Seq));
                h.Element("td", Show.Time(row.At));
                h.Element("td", row.Actor);
                h.Element("td", row.Action);
                h.Element("td", row.Target);
                h.Element("td", row.Outcome);
                h.Element("td", row.Detail);
                h.Close("tr");
            }

            h.Close("tbody").Close("table");
        });
}
