using Microsoft.AspNetCore.Http;

namespace Spiro.Server.Endpoints;

/// <summary>The boolean query flags of an upload (<c>POST /api/v1/deploys</c>, <c>/plans</c>) and of a plan's apply.</summary>
/// <param name="Highstate">Run a highstate after the publish.</param>
/// <param name="Test">Run it with <c>test=True</c>.</param>
/// <param name="TolerateMissing">Expected minions that do not return are not a failure.</param>
internal sealed record UploadFlags(bool Highstate, bool Test, bool TolerateMissing)
{
    /// <summary>
    /// An upload's flags; a plan's candidate (<paramref name="candidate"/>) always highstates, and
    /// with <c>test=True</c> unless told otherwise. <paramref name="error"/> names the first bad flag.
    /// </summary>
    public static UploadFlags Parse(IQueryCollection query, bool candidate, out string? error)
    {
        error = null;
        var highstate = candidate || Flag("highstate", query["highstate"], ref error);
        var test = (candidate && string.IsNullOrEmpty(query["test"])) || Flag("test", query["test"], ref error);
        var tolerateMissing = Flag("tolerate_missing", query["tolerate_missing"], ref error);
        return new UploadFlags(highstate, test, tolerateMissing);
    }

    /// <summary>A plan's apply (<c>POST /api/v1/plans/{id}/apply</c>): it highstates unless told not to; <paramref name="force"/> applies over a moved live release.</summary>
    public static UploadFlags ParseApply(IQueryCollection query, out bool force, out string? error)
    {
        error = null;
        force = Flag("force", query["force"], ref error);
        var highstate = string.IsNullOrEmpty(query["highstate"]) || Flag("highstate", query["highstate"], ref error);
        var test = Flag("test", query["test"], ref error);
        var tolerateMissing = Flag("tolerate_missing", query["tolerate_missing"], ref error);
        return new UploadFlags(highstate, test, tolerateMissing);
    }

    /// <summary>A boolean query flag; absent is false, and a value that is neither yes nor no is an error, not a silent no.</summary>
    public static bool Flag(string name, string? value, ref string? error)
    {
        if (string.IsNullOrEmpty(value) || value is "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (value is "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        error ??= $"query parameter {name}='{value}' must be true or false";
        return false;
    }
}
