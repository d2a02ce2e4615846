using System.Globalization;
using System.Text;

namespace Spiro.Cli.Salt;

/// <summary>The salt-master configuration that enables the adapter (docs/salt.md explains each key).</summary>
internal static class MasterConfig
{
    /// <summary>Renders the YAML to add to the master config (e.g. /etc/salt/master.d/spiro.conf).</summary>
    /// <param name="moduleDirectory">Where the adapter was installed (a <c>module_dirs</c> entry).</param>
    /// <param name="dataDirectory">The store (<c>spiro_data</c>).</param>
    /// <param name="spiroCommand">The <c>spiro</c> executable the engine and runner run, if known.</param>
    /// <param name="port">The deploy server's port.</param>
    /// <param name="scale">Scale mode: the <c>spiro</c> master_tops module answers every minion's top data in one call.</param>
    public static string Render(string moduleDirectory, string dataDirectory, string? spiroCommand, int port, bool scale = false)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("# SpiroFS: add to the salt-master config, e.g. /etc/salt/master.d/spiro.conf,");
        yaml.AppendLine("# then restart salt-master. See docs/salt.md.");
        yaml.AppendLine("module_dirs:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {Quote(moduleDirectory)}");
        yaml.AppendLine("fileserver_backend:");
        yaml.AppendLine("  - roots");
        yaml.AppendLine("  - spiro");
        yaml.AppendLine("# update() of the spiro backend is a no-op; without this key the master warns at start.");
        yaml.AppendLine("spiro_update_interval: 3600");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"spiro_data: {Quote(dataDirectory)}");
        if (spiroCommand is not null)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"spiro_command: {Quote(spiroCommand)}");
        }

        if (scale)
        {
            yaml.AppendLine("# Scale mode: top data for every saltenv in one master call; fileserver.envs then lists");
            yaml.AppendLine("# only __env__ (saltenv=project/deployment runs still work). Remove to go back.");
            yaml.AppendLine("master_tops:");
            yaml.AppendLine("  spiro: {}");
        }

        yaml.AppendLine("engines:");
        yaml.AppendLine("  - spiro:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"      port: {port}");
        yaml.AppendLine("      ssl_crt: /etc/pki/tls/certs/spiro.crt    # omit both ssl_ keys for plain HTTP");
        yaml.AppendLine("      ssl_key: /etc/pki/tls/private/spiro.key");
        return yaml.ToString();
    }

    // Paths rarely need quoting; when they do, a single-quoted YAML scalar only escapes quotes.
    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+".Contains(c, StringComparison.Ordinal))
            ? value
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
