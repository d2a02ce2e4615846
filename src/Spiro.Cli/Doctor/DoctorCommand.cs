using System.CommandLine;
using System.Reflection;
using System.Text;

namespace Spiro.Cli.Doctor;

/// <summary>
/// <c>spiro doctor [-c DIR] [--data DIR] [--json]</c>: checks this salt-master's SpiroFS setup and
/// says how to fix each problem; exit 0 when nothing fails (warnings included), 1 otherwise.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var configDir = new Option<string>("--config-dir", "-c")
        {
            Description = "salt-master's config directory: DIR/master and its includes (master.d/*.conf).",
            DefaultValueFactory = _ => "/etc/salt",
        };
        var data = new Option<string?>("--data") { Description = "The SpiroFS data directory (default: spiro_data from the master config, else <cachedir>/spirofs)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: every check with status ok, warn or fail, its message and fix." };
        var command = new Command("doctor", "Check this salt-master's SpiroFS setup: adapter, master config, data directory, deploy server, TLS, salt, store. Exit 0 when nothing fails.")
        {
            configDir, data, json,
        };
        command.SetAction(parse =>
        {
            var config = SaltMasterConfig.Load(parse.GetValue(configDir)!);
            var version = typeof(DoctorCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            var context = DoctorContext.Create(config, parse.GetValue(data), version);
            var findings = Doctor.Run(context, TimeProvider.System);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                using var buffer = new MemoryStream();
                DoctorReport.WriteJson(buffer, context, findings);
                output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
            {
                DoctorReport.WriteText(output, context, findings);
            }

            return findings.Any(f => f.Status == DoctorStatus.Fail) ? ExitCodes.Rejected : ExitCodes.Ok;
        });
        return command;
    }
}
