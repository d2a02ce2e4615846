using System.CommandLine;
using System.Globalization;
using Spiro.Core.Metadata;
using Spiro.Core.Releases.Layout;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro audit [--verify] [--json] [--limit N]</c>: show the audit log or check its hash chain.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var verify = new Option<bool>("--verify") { Description = "Recompute the hash chain; exit 1 if any row was changed or removed." };
        var limit = StoreCli.LimitOption();
        var command = new Command("audit", "Show the audit log, or verify that it was not tampered with.") { verify, json, limit, data };
        command.SetAction(parse =>
        {
            if (Cluster.ConfigCli.Resolve(parse, parse.GetValue(data)!, out var exitCode) is not { } target)
            {
                return exitCode;
            }

            if (target.Cluster is null && !File.Exists(DataDirectoryNames.DatabaseIn(target.Data)))
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, $"error: no SpiroFS data in {target.Data} (use --data DIR or set {StoreCli.DataVariable})");
            }

            var log = new AuditLog(target.OpenMetadata(), TimeProvider.System);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(verify))
            {
                var broken = log.Verify();
                if (broken is not null)
                {
                    return StoreCli.Fail(parse, ExitCodes.Rejected, $"audit chain broken: {broken}");
                }

                output.WriteLine($"audit chain intact ({log.Read().Count} rows)");
                return ExitCodes.Ok;
            }

            var rows = log.Read(parse.GetValue(limit));
            if (parse.GetValue(json))
            {
                ReleaseJson.WriteArray(output, rows, (writer, row) =>
                {
                    writer.WriteNumber("seq", row.Seq);
                    writer.WriteString("at", row.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    writer.WriteString("actor", row.Actor);
                    writer.WriteString("action", row.Action);
                    writer.WriteString("target", row.Target);
                    writer.WriteString("outcome", row.Outcome);
                    writer.WriteString("detail", row.Detail);
                });
            }
            else
            {
                TextTable.Write(
                    output,
                    ["SEQ", "AT", "ACTOR", "ACTION", "TARGET", "OUTCOME", "DETAIL"],
                    rows.Select(r => (IReadOnlyList<string>)[r.Seq.ToString(CultureInfo.InvariantCulture), WireTime.Format(r.At), Printable(r.Actor), Printable(r.Action), Printable(r.Target), Printable(r.Outcome), Printable(r.Detail)]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // Rows are stored escaped; rows from before that may not be, and must not reach the terminal raw.
    private static string Printable(string field) => AuditText.Clean(field, int.MaxValue);
}
