using Spiro.Core.Tokens;

namespace Spiro.Core.Tests.Tokens;

public sealed class TokenAuthorizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static TokenRecord Token(
        string[]? projects = null, string[]? deployments = null, bool admin = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? expires = null, DateTimeOffset? revoked = null) =>
        new("0123456789abcdef", "ci", "hash", new TokenScope(projects ?? ["foo"], deployments ?? [], admin),
            Now.AddDays(-1), notBefore, expires, revoked, null);

    [Fact]
    public void Decide_WithNoStoredToken_IsUnauthenticated() =>
        Assert.IsType<AuthDecision.Unauthenticated>(TokenAuthorizer.Decide(null, Now, TokenRequirement.Deploy("foo", "dev")));

    [Fact]
    public void Decide_ForOwnProjectAnyDeployment_IsAllowed() =>
        Assert.IsType<AuthDecision.Allowed>(TokenAuthorizer.Decide(Token(), Now, TokenRequirement.Deploy("foo", "prod")));

    [Fact]
    public void Decide_ForOtherProject_IsForbidden()
    {
        var decision = Assert.IsType<AuthDecision.Forbidden>(TokenAuthorizer.Decide(Token(), Now, TokenRequirement.Deploy("bar", "dev")));
        Assert.Equal("token 0123456789abcdef is not valid for bar/dev", decision.Reason);
    }

    [Fact]
    public void Decide_ForDeploymentOutsideItsList_IsForbidden() =>
        Assert.IsType<AuthDecision.Forbidden>(TokenAuthorizer.Decide(Token(deployments: ["dev", "staging"]), Now, TokenRequirement.Deploy("foo", "prod")));

    [Fact]
    public void Decide_ForDeploymentInItsList_IsAllowed() =>
        Assert.IsType<AuthDecision.Allowed>(TokenAuthorizer.Decide(Token(deployments: ["dev", "staging"]), Now, TokenRequirement.Deploy("foo", "staging")));

    [Fact]
    public void Decide_RootToken_CoversEveryProject() =>
        Assert.IsType<AuthDecision.Allowed>(TokenAuthorizer.Decide(Token(projects: []), Now, TokenRequirement.Deploy("anything", "prod")));

    [Fact]
    public void Decide_RootScope_AllowsAdminEverywhere() =>
        Assert.IsType<AuthDecision.Allowed>(TokenAuthorizer.Decide(Token() with { Scope = TokenScope.Root }, Now, TokenRequirement.AdminOn("anything", "prod")));

    [Fact]
    public void Decide_AtExpiryInstant_IsUnauthenticated()
    {
        var decision = Assert.IsType<AuthDecision.Unauthenticated>(TokenAuthorizer.Decide(Token(expires: Now), Now, TokenRequirement.AnyValid));
        Assert.Contains("expired", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OneTickBeforeExpiry_IsAllowed() =>
        Assert.IsType<AuthDecision.Allowed>(TokenAuthorizer.Decide(Token(expires: Now.AddTicks(1)), Now, TokenRequirement.AnyValid));

    [Fact]
    public void Decide_BeforeNotBefore_IsUnauthenticated()
    {
        var decision = Assert.IsType<AuthDecision.Unauthenticated>(TokenAuthorizer.Decide(Token(notBefore: Now.AddMinutes(1)), Now, TokenRequirement.AnyValid));
        Assert.Contains("not valid before", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Revoked_IsUnauthenticatedEvenForItsOwnProject()
    {
        var decision = Assert.IsType<AuthDecision.Unauthenticated>(TokenAuthorizer.Decide(Token(revoked: Now.AddSeconds(-1)), Now, TokenRequirement.Deploy("foo", "dev")));
        Assert.Contains("revoked", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AdminOperationWithoutAdminScope_IsForbidden()
    {
        var decision = Assert.IsType<AuthDecision.Forbidden>(TokenAuthorizer.Decide(Token(), Now, TokenRequirement.AdminOn("foo", "dev")));
        Assert.Contains("admin", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AdminOperationOutsideAdminTokensProjects_IsForbidden() =>
        Assert.IsType<AuthDecision.Forbidden>(TokenAuthorizer.Decide(Token(admin: true), Now, TokenRequirement.AdminOn("bar", "dev")));

    [Fact]
    public void Decide_AdminOperationWithAdminScope_IsAllowed() =>
        Assert.IsType<AuthDecision.Allowed>(TokenAuthorizer.Decide(Token(admin: true), Now, TokenRequirement.AdminOn("foo", "dev")));
}
