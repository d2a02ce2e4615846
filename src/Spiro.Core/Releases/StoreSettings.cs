using System.Globalization;
using Spiro.Core.Metadata;

namespace Spiro.Core.Releases;

/// <summary>Store settings kept in <c>spiro.db</c> (table <c>settings</c>), shared by every process using the data directory.</summary>
internal sealed class StoreSettings(MetadataDatabase database)
{
    private const string KeepReleasesName = "keep_releases";

    /// <summary>The keep_releases the server last started with, or null if no server ever saved one.</summary>
    public int? KeepReleases() =>
        Read(KeepReleasesName) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var keep) ? keep : null;

    public void SaveKeepReleases(int keep) => Write(KeepReleasesName, keep.ToString(CultureInfo.InvariantCulture));

    private string? Read(string name)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM settings WHERE name = @name;";
        command.AddParameter("@name", name);
        return command.ExecuteScalar() as string;
    }

    private void Write(string name, string value)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE settings.value <> excluded.value;";
        command.AddParameter("@name", name);
        command.AddParameter("@value", value);
        command.ExecuteNonQuery();
    }
}
