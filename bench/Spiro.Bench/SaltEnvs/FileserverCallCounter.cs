using System.Text;

namespace Spiro.Bench.SaltEnvs;

/// <summary>
/// Counts the calls Salt makes into the adapter: the installed fileserver backend and master_tops
/// module get a few lines appended that write one line per call to the file named by the master
/// option <c>spiro_bench_calls</c>. The master workers are separate processes; appends of one short
/// line are atomic, so counting lines counts calls.
/// </summary>
internal sealed class FileserverCallCounter(string moduleDirectory, string countFile)
{
    private static readonly string[] FileserverFunctions =
        ["envs", "find_file", "serve_file", "file_hash", "file_list", "dir_list", "file_list_emptydirs"];

    /// <summary>The master config that switches counting on (drop into master.d/).</summary>
    public string MasterConfig => $"spiro_bench_calls: {countFile}\n";

    /// <summary>Appends the counting shim to the installed modules (run after <c>spiro salt install</c>).</summary>
    public void Install()
    {
        Append(Path.Combine(moduleDirectory, "fileserver", "spiro.py"), "fileserver", FileserverFunctions);
        Append(Path.Combine(moduleDirectory, "tops", "spiro.py"), "tops", ["top"]);
    }

    /// <summary>Empties the count file before a measured command.</summary>
    public void Reset() => File.WriteAllText(countFile, "");

    /// <summary>Calls since the last <see cref="Reset"/>: fileserver calls, master_tops calls.</summary>
    public (int Fileserver, int Tops) Read()
    {
        var lines = File.Exists(countFile) ? File.ReadAllLines(countFile) : [];
        var tops = lines.Count(line => line.StartsWith("tops.", StringComparison.Ordinal));
        return (lines.Length - tops, tops);
    }

    private static void Append(string module, string kind, IEnumerable<string> functions)
    {
        var shim = new StringBuilder();
        shim.AppendLine();
        shim.AppendLine("# --- added by ./build.sh bench saltenvs: one line per call into the file spiro_bench_calls names ---");
        shim.AppendLine("import functools as _bench_functools");
        shim.AppendLine();
        shim.AppendLine();
        shim.AppendLine("def _bench_counted(_name, _function):");
        shim.AppendLine("    @_bench_functools.wraps(_function)");
        shim.AppendLine("    def _counted(*args, **kwargs):");
        shim.AppendLine("        _path = (globals().get('__opts__') or {}).get('spiro_bench_calls')");
        shim.AppendLine("        if _path:");
        shim.AppendLine("            with open(_path, 'a') as _handle:");
        shim.AppendLine("                _handle.write(_name + '\\n')");
        shim.AppendLine("        return _function(*args, **kwargs)");
        shim.AppendLine("    return _counted");
        shim.AppendLine();
        shim.AppendLine();
        foreach (var function in functions)
        {
            shim.AppendLine($"{function} = _bench_counted('{kind}.{function}', {function})");
        }

        File.AppendAllText(module, shim.ToString());
    }
}
