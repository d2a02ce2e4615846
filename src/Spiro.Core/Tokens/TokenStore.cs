using System.Data.Common;
using System.Globalization;
using Spiro.Core.Metadata;

namespace Spiro.Core.Tokens;

/// <summary>
/// Tokens in SQLite (table <c>tokens</c>). Always reads the database, so a revocation by another
/// process is seen on the very next lookup.
/// </summary>
public sealed class TokenStore(MetadataDatabase database, TimeProvider time)
{
    private const string Columns = "id, label, hash, projects, deployments, admin, created, not_before, expires, revoked, last_used";

    /// <summary>Issues a token; the returned secret is not kept anywhere.</summary>
    public IssuedToken Issue(TokenRequest request)
    {
        var now = time.GetUtcNow();
        var token = TokenSecret.Generate();
        var start = request.NotBefore is { } nb && nb > now ? nb : now;
        var record = new TokenRecord(
            TokenSecret.NewId(),
            request.Label,
            TokenSecret.Hash(token),
            request.Scope,
            now,
            request.NotBefore,
            request.Lifespan is { } life ? start + life : null,
            Revoked: null,
            LastUsed: null);
        using var connection = database.Connect();
        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO tokens ({Columns}) VALUES (@id, @label, @hash, @projects, @deployments, @admin, @created, @nb, @expires, NULL, NULL)";
        insert.AddParameter("@id", record.Id);
        insert.AddParameter("@label", record.Label);
        insert.AddParameter("@hash", record.Hash);
        insert.AddParameter("@projects", string.Join(',', record.Scope.Projects));
        insert.AddParameter("@deployments", string.Join(',', record.Scope.Deployments));
        insert.AddParameter("@admin", record.Scope.Admin ? 1 : 0);
        insert.AddParameter("@created", Format(record.Created));
        insert.AddParameter("@nb", (object?)FormatOrNull(record.NotBefore) ?? DBNull.Value);
        insert.AddParameter("@expires", (object?)FormatOrNull(record.Expires) ?? DBNull.Value);
        insert.ExecuteNonQuery();
        return new IssuedToken(token, record);
    }

    /// <summary>Every token, oldest first.</summary>
    public IReadOnlyList<TokenRecord> List() => Query("ORDER BY created, id", null);

    /// <summary>The token with public id <paramref name="id"/>, or null.</summary>
    public TokenRecord? FindById(string id) => Query("WHERE id = @p", id).FirstOrDefault();

    /// <summary>The token whose secret is <paramref name="token"/>, or null. The hash is compared in constant time.</summary>
    public TokenRecord? FindByToken(string token)
    {
        var hash = TokenSecret.Hash(token);
        var found = Query("WHERE hash = @p", hash).FirstOrDefault();
        return found is not null && TokenSecret.HashesEqual(found.Hash, hash) ? found : null;
    }

    /// <summary>Finds by secret when <paramref name="tokenOrId"/> looks like a token, else by id.</summary>
    public TokenRecord? Find(string tokenOrId) =>
        tokenOrId.StartsWith(TokenSecret.Prefix, StringComparison.Ordinal) ? FindByToken(tokenOrId) : FindById(tokenOrId);

    /// <summary>Marks the token revoked now; false when it does not exist. Revoking twice keeps the first time.</summary>
    public bool Revoke(string id)
    {
        using var connection = database.Connect();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE tokens SET revoked = COALESCE(revoked, @now) WHERE id = @id";
        update.AddParameter("@now", Format(time.GetUtcNow()));
        update.AddParameter("@id", id);
        return update.ExecuteNonQuery() == 1;
    }

    /// <summary>Records an accepted use.</summary>
    public void MarkUsed(string id)
    {
        using var connection = database.Connect();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE tokens SET last_used = @now WHERE id = @id";
        update.AddParameter("@now", Format(time.GetUtcNow()));
        update.AddParameter("@id", id);
        try
        {
            update.ExecuteNonQuery();
        }
        catch (DbException e) when (MetadataDatabase.IsOutOfSpace(e))
        {
            // last_used is advisory: a full disk must not refuse a valid token; the deploy then
            // records its own end (docs/security.md).
        }
    }

    private List<TokenRecord> Query(string where, string? parameter)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM tokens {where}";
        if (parameter is not null)
        {
            command.AddParameter("@p", parameter);
        }

        var rows = new List<TokenRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private static TokenRecord Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        new TokenScope(Split(reader.GetString(3)), Split(reader.GetString(4)), reader.GetInt64(5) != 0),
        Parse(reader.GetString(6)),
        reader.IsDBNull(7) ? null : Parse(reader.GetString(7)),
        reader.IsDBNull(8) ? null : Parse(reader.GetString(8)),
        reader.IsDBNull(9) ? null : Parse(reader.GetString(9)),
        reader.IsDBNull(10) ? null : Parse(reader.GetString(10)));

    private static string[] Split(string list) => list.Length == 0 ? [] : list.Split(',');

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string? FormatOrNull(DateTimeOffset? at) => at is { } value ? Format(value) : null;

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
