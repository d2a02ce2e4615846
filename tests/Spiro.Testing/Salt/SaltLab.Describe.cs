using System.Text;

namespace Spiro.Testing.Salt;

/// <summary>The lab explained to a person: what runs where and how to use it.</summary>
public sealed partial class SaltLab
{
    /// <summary>Status, paths, ports and ready-to-paste commands.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"Salt lab in {Layout.Root} ({Source})");
        foreach (var name in new[] { Master }.Concat(SaltLabLayout.MinionIds))
        {
            var state = _daemons.TryGetValue(name, out var group) && group.IsAlive ? $"running, process group {group.Id}" : "stopped";
            text.AppendLine($"  {name,-7} {state}");
        }

        text.AppendLine($"  ports    publish {Layout.PublishPort}, ret {Layout.RetPort}, spiro serve {SpiroUrl}");
        text.AppendLine($"  config   {Layout.MasterConfigDir}/master, drop-ins in {Layout.MasterIncludeDir}/ (spiro.conf is the seed config)");
        text.AppendLine($"  logs     {Layout.MasterLog}, {string.Join(", ", SaltLabLayout.MinionIds.Select(Layout.MinionLog))}");
        text.AppendLine($"  store    {Layout.SpiroData} (spiro ... --data {Layout.SpiroData}); roots base: {Layout.FileRoots}");
        text.AppendLine($"  tls      trust {Certificate.CaFile}");
        text.AppendLine("Use it:");
        text.AppendLine($"  export PATH={Layout.BinDir}:$PATH    # salt, salt-run, salt-key, salt-cp talk to this master");
        text.AppendLine("  salt '*' test.ping");
        text.AppendLine("  salt-run spiro.issue_token hello");
        text.AppendLine($"  salt-call -c {Layout.MinionConfigDir("m1")} cp.list_master saltenv=hello/dev");
        text.AppendLine($"  (cd examples/hello && spiro-deploy hello dev --server {SpiroUrl} --ssl-cert {Certificate.CaFile} --token $TOKEN --artifact build/hello.txt)");
        return text.ToString();
    }
}
