using System.Net;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Deploying;

namespace Spiro.Deploy.Tests.Transport;

public sealed class StatusMappingTests
{
    [Theory]
    [InlineData(401, ExitCodes.AuthRefused)]
    [InlineData(403, ExitCodes.AuthRefused)]
    [InlineData(400, ExitCodes.BundleRejected)]
    [InlineData(413, ExitCodes.BundleRejected)]
    [InlineData(409, ExitCodes.ServerError)]
    [InlineData(500, ExitCodes.ServerError)]
    [InlineData(503, ExitCodes.ServerError)]
    [InlineData(404, ExitCodes.Usage)]
    public void Status_MapsToTheDocumentedExitCode(int status, int exitCode) =>
        Assert.Equal(exitCode, StatusMapping.ExitCodeFor((HttpStatusCode)status));

    [Theory]
    [InlineData("{\"error\": \"bad entry ../x\"}", "bad entry ../x")]
    [InlineData("{\"msg\": \"m\"}", "m")]
    [InlineData("Bundle rejected: symlink leaves the bundle\n", "Bundle rejected: symlink leaves the bundle")]
    [InlineData("{not json", "{not json")]
    public void Detail_IsTheServersOwnWords(string body, string detail) => Assert.Equal(detail, StatusMapping.Detail(body));
}
