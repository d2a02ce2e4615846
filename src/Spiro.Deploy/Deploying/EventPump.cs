using System.Net;
using Spiro.Deploy.Output;
using Spiro.Deploy.Transport;

namespace Spiro.Deploy.Deploying;

/// <summary>
/// Reads the event stream to its end. On the v1 API a dropped stream is re-attached with
/// <c>Last-Event-ID</c> a few times with backoff; ids already seen are skipped, so no event is shown twice.
/// </summary>
internal sealed class EventPump(DeployTransport transport, EventHandler handler, IDeployOutput output, TimeProvider time)
{
    public const int MaxReattachAttempts = 5;

    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private string? lastEventId;

    // Re-attach attempts since the last event received: every new event starts the count again.
    private int attempt;

    /// <summary>Backoff before re-attach attempt <paramref name="attempt"/> (1-based): 0.5s, 1s, 2s, 4s, 8s.</summary>
    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1));

    /// <summary>Pumps until a terminal event or a clean end; false when the stream was lost for good.</summary>
    public async Task<bool> RunAsync(HttpResponseMessage first, string? deployId, CancellationToken cancellationToken)
    {
        var response = first;
        var reattached = false;
        while (true)
        {
            var (finished, problem) = await ReadAsync(response, deployId, reattached, cancellationToken);
            if (finished is { } result)
            {
                return result;
            }

            // Only a v1 deploy (with an id) gets here: the compatible endpoint cannot resume.
            if (await ReattachAsync(deployId!, problem!, cancellationToken) is not { } next)
            {
                return false;
            }

            response = next;
            reattached = true;
        }
    }

    /// <summary>
    /// Reads one response's events, skipping ids already seen. <c>Finished</c> is true at a terminal
    /// event or a clean end, false when the stream is lost for good; null with a <c>Problem</c> when a
    /// re-attach may bring the rest.
    /// </summary>
    private async Task<(bool? Finished, string? Problem)> ReadAsync(HttpResponseMessage response, string? deployId, bool reattached, CancellationToken cancellationToken)
    {
        var received = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var message in SseReader.ReadAsync(stream, cancellationToken))
            {
                if (message.Id is { } id)
                {
                    if (!seen.Add(id))
                    {
                        continue;
                    }

                    lastEventId = id;
                }

                received++;
                attempt = 0;
                if (handler.Handle(message))
                {
                    return (true, null);
                }
            }

            // A clean end: the compatible endpoint simply closes; a re-attach that brings nothing new means it is over.
            return deployId is null || (reattached && received == 0)
                ? (true, null)
                : (null, "the event stream ended before the deploy finished");
        }
        catch (Exception e) when (IsNetwork(e) && !cancellationToken.IsCancellationRequested)
        {
            var problem = $"the event stream dropped: {e.Message}";
            if (deployId is null)
            {
                output.Error(problem + " (the compatible endpoint cannot resume)");
                return (false, null);
            }

            return (null, problem);
        }
        finally
        {
            response.Dispose();
        }
    }

    /// <summary>Re-attaches with backoff after <paramref name="problem"/>; null once it gave up or was refused for good.</summary>
    private async Task<HttpResponseMessage?> ReattachAsync(string deployId, string problem, CancellationToken cancellationToken)
    {
        while (true)
        {
            attempt++;
            if (attempt > MaxReattachAttempts)
            {
                output.Error($"{problem}; gave up after {MaxReattachAttempts} attempts to re-attach");
                return null;
            }

            output.Warning($"{problem}; re-attaching to deploy {deployId} (attempt {attempt} of {MaxReattachAttempts})");
            await Task.Delay(Backoff(attempt), time, cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await transport.ReattachAsync(deployId, lastEventId, cancellationToken);
            }
            catch (Exception e) when (IsNetwork(e) && !cancellationToken.IsCancellationRequested)
            {
                problem = $"re-attaching failed: {e.Message}";
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            problem = $"re-attaching was refused ({(int)response.StatusCode})";
            response.Dispose();
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                output.Error(problem);
                return null;
            }
        }
    }

    public static bool IsNetwork(Exception e) => e is HttpRequestException or IOException or System.Security.Authentication.AuthenticationException
        || (e is OperationCanceledException && e.InnerException is TimeoutException);
}
