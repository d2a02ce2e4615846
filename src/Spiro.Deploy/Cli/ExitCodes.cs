namespace Spiro.Deploy.Cli;

/// <summary>Exit codes of <c>spiro-deploy</c>: what a CI system branches on. Documented in --help and docs/ci.md.</summary>
internal static class ExitCodes
{
    /// <summary>Deployed; every minion that was highstated succeeded.</summary>
    public const int Ok = 0;

    /// <summary>A minion failed or did not report.</summary>
    public const int MinionFailed = 1;

    /// <summary>Bad command line, missing token, missing salt directory or bad URL.</summary>
    public const int Usage = 2;

    /// <summary>The server refused the token (401) or its scope (403).</summary>
    public const int AuthRefused = 3;

    /// <summary>The server rejected the bundle or the request (400, 413).</summary>
    public const int BundleRejected = 4;

    /// <summary>The server could not be reached, TLS failed, the stream dropped for good, or the timeout passed.</summary>
    public const int Network = 5;

    /// <summary>The server failed: an <c>exception</c> event or a 5xx answer.</summary>
    public const int ServerError = 6;

    /// <summary>The table printed at the end of --help.</summary>
    public const string HelpText = """
        Exit codes:
          0  success: deployed, and every highstated minion succeeded (--plan: nothing would fail)
          1  a minion failed or did not report (--plan: some state would fail)
          2  usage error (arguments, missing token, missing salt directory, bad URL)
          3  authentication or authorisation refused (401/403)
          4  bundle rejected (400/413), or --apply refused: the live release moved since
             the plan (409; --force applies anyway), the plan expired (410) or is unknown (404)
          5  network or TLS failure, or the event stream was lost, or --timeout passed
          6  server-side error (exception event or 5xx)

        Plan, then apply (docs/ci.md): `spiro-deploy P D --plan` prints `Plan ID` and exits as a
        deploy would; `spiro-deploy P D --apply ID` makes exactly that candidate live.

        Environment: SPIRO_TOKEN (default --token), SPIRO_URL (default --server), NO_COLOR.
        """;
}
