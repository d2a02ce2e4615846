using Microsoft.Data.Sqlite;
using Spiro.Server.Tests.Support;
using Spiro.Testing.Tars;

namespace Spiro.Server.Tests.Endpoints;

/// <summary>A deploy on a data directory whose file system is full (a real tmpfs) still ends, and says so.</summary>
public sealed class FullDiskTests
{
    [SmallFilesystemFact]
    public async Task Deploy_OnAFullDisk_StreamEndsWithDeployFinishFailedAndTheRowSaysFailed()
    {
        Assert.Null(SmallFilesystem.Unavailable);
        await using var disk = await SmallFilesystem.MountAsync(16);
        var data = Path.Combine(disk.Path, "data");
        await using var server = await TestServer.StartAsync(configure: o => o with { Data = data });
        var token = server.Issue(["foo"]);
        Assert.True(File.Exists(Path.Combine(data, "space.reserve")));

        // Empty the WAL, so the next database write needs new room, then fill the file system.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "spiro.db")}"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        disk.Fill();

        // Larger than the space reserve: giving the reserve back cannot make room for the upload.
        using var request = DeployApiTests.Raw(token, TestTar.Bytes(("big.txt", new string('x', 3 << 20)), ("init.sls", "x: 1\n")), "application/x-tar");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await server.Client.SendAsync(request, cancel.Token);
        var stream = await response.Content.ReadAsStringAsync(cancel.Token);
        Assert.True(response.Headers.Contains("X-Spiro-Deploy-Id"), $"{(int)response.StatusCode}: {stream}");
        var deployId = response.Headers.GetValues("X-Spiro-Deploy-Id").Single();

        var events = SseEvent.ParseAll(stream, out _);
        Assert.Equal("deploy-finish", events[^1].Name);
        Assert.Equal("failed", events[^1].Json["status"]!.GetValue<string>());
        Assert.Contains("No space left on device", stream, StringComparison.Ordinal);
        Assert.DoesNotContain(disk.Path, stream, StringComparison.Ordinal);
        using var get = DeployApiTests.Authorized(HttpMethod.Get, $"/api/v1/deploys/{deployId}", token);
        var row = await (await server.Client.SendAsync(get, cancel.Token)).Content.ReadAsStringAsync(cancel.Token);
        Assert.Contains("\"status\":\"failed\"", row, StringComparison.Ordinal);
        Assert.Null(server.LiveRelease("foo", "dev"));
    }
}
