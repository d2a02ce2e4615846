using Microsoft.Data.Sqlite;
using Spiro.Core.Metadata;
using Spiro.Core.Tokens;

namespace Spiro.Core.Tests.Tokens;

public sealed class TokenStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-tokens-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Issue_StoresOnlyTheHash()
    {
        var (store, database, _) = Open();
        var issued = store.Issue(new TokenRequest(new TokenScope(["foo"], ["dev"], false), "ci", null, TimeSpan.FromDays(90)));

        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM tokens";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.DoesNotContain(issued.Token, reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        Assert.Equal(TokenSecret.Hash(issued.Token), store.FindById(issued.Record.Id)!.Hash);
    }

    [Fact]
    public void FindByToken_RoundTripsScopeAndTimes()
    {
        var (store, _, _) = Open();
        var notBefore = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var issued = store.Issue(new TokenRequest(new TokenScope(["foo", "bar"], ["dev"], true), "pipeline", notBefore, TimeSpan.FromHours(12)));

        var found = store.FindByToken(issued.Token)!;

        Assert.Equal(["foo", "bar"], found.Scope.Projects);
        Assert.Equal(["dev"], found.Scope.Deployments);
        Assert.True(found.Scope.Admin);
        Assert.Equal(notBefore, found.NotBefore);
        Assert.Equal(notBefore.AddHours(12), found.Expires);
        Assert.Null(store.FindByToken(TokenSecret.Generate()));
    }

    [Fact]
    public void Revoke_IsSeenByAnotherStoreOnTheSameDatabase()
    {
        var (store, database, _) = Open();
        var issued = store.Issue(new TokenRequest(new TokenScope(["foo"], [], false), "", null, null));
        var other = new TokenStore(MetadataDatabase.Open(database.Location), TimeProvider.System);

        Assert.True(other.Revoke(issued.Record.Id));

        Assert.NotNull(store.FindByToken(issued.Token)!.Revoked);
        Assert.False(store.Revoke("nonexistent"));
    }

    [Fact]
    public void Identify_AuditsOnlyRefusals_AndAuthenticateWithARefusalAuditsRefusedNotOk()
    {
        var (store, _, audit) = Open();
        var service = new TokenService(store, audit, TimeProvider.System);
        var issued = store.Issue(new TokenRequest(new TokenScope(["foo"], [], false), "ci", null, null));

        Assert.IsType<AuthDecision.Allowed>(service.Identify(issued.Token, "deploy", "-"));
        Assert.Empty(audit.Read());
        Assert.IsType<AuthDecision.Unauthenticated>(service.Identify(TokenSecret.Generate(), "deploy", "-"));
        Assert.IsType<AuthDecision.Allowed>(service.Authenticate(issued.Token, TokenRequirement.AnyValid, "deploy", "-", refusal: "body too large"));

        var rows = audit.Read();
        Assert.Equal([("refused", "unknown token"), ("refused", "body too large")], rows.Select(r => (r.Outcome, r.Detail)));
        Assert.Equal($"token:{issued.Record.Id} (ci)", rows[1].Actor);
    }

    [Fact]
    public void Authenticate_AuditsAcceptedAndRefusedUsesWithoutTheSecret()
    {
        var (store, database, audit) = Open();
        var service = new TokenService(store, audit, TimeProvider.System);
        var issued = store.Issue(new TokenRequest(new TokenScope(["foo"], [], false), "ci", null, null));

        Assert.IsType<AuthDecision.Allowed>(service.Authenticate(issued.Token, TokenRequirement.Deploy("foo", "dev"), "deploy", "foo/dev"));
        Assert.IsType<AuthDecision.Forbidden>(service.Authenticate(issued.Token, TokenRequirement.Deploy("bar", "dev"), "deploy", "bar/dev"));
        Assert.IsType<AuthDecision.Unauthenticated>(service.Authenticate("garbage", TokenRequirement.AnyValid, "auth", "-"));

        var rows = audit.Read();
        Assert.Equal(["ok", "refused", "refused"], rows.Select(r => r.Outcome));
        Assert.Equal($"token:{issued.Record.Id} (ci)", rows[0].Actor);
        Assert.Equal("anonymous", rows[2].Actor);
        Assert.All(rows, r => Assert.DoesNotContain(issued.Token, r.Actor + r.Detail, StringComparison.Ordinal));
        Assert.NotNull(store.FindById(issued.Record.Id)!.LastUsed);
        Assert.Null(audit.Verify());
        _ = database;
    }

    private (TokenStore Store, MetadataDatabase Database, AuditLog Audit) Open()
    {
        var database = MetadataDatabase.Open(Path.Combine(_directory, "spiro.db"));
        return (new TokenStore(database, TimeProvider.System), database, new AuditLog(database, TimeProvider.System));
    }
}
