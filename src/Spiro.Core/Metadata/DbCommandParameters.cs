using System.Data.Common;

namespace Spiro.Core.Metadata;

/// <summary>Adds a named parameter to a command of either database engine.</summary>
public static class DbCommandParameters
{
    /// <summary>Adds <paramref name="name"/> (<c>@name</c>) with <paramref name="value"/>; null becomes SQL NULL.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
