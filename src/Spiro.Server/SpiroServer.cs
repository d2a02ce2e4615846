using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Dashboard;
using Spiro.Server.Dashboard;
using Spiro.Server.Endpoints;
using Spiro.Server.Endpoints.Compat;
using Spiro.Server.Options;
using Spiro.Server.Tls;

namespace Spiro.Server;

/// <summary>Builds the deploy server: Kestrel, the compatible endpoint, the v1 API, health and metrics.</summary>
public static class SpiroServer
{
    /// <summary>
    /// HTTP/2 streams one connection may have open at once (Kestrel's default is 100). Each open
    /// stream can hold receive blocks of its own, for its request body and its response, so this
    /// bounds what one TLS connection holds (docs/api.md, "Limits and shutdown").
    /// </summary>
    internal const int MaxHttp2StreamsPerConnection = 16;

    /// <summary>
    /// Validates <paramref name="options"/> and builds the app (not started). Throws
    /// <see cref="ServerStartupException"/> naming the key or file when the configuration is unusable.
    /// </summary>
    /// <param name="options">Server settings.</param>
    /// <param name="highstate">The Salt boundary (the real orchestrator, or one that says no Salt is configured).</param>
    /// <param name="time">Clock; the system clock when null.</param>
    /// <param name="logging">Extra logging configuration (tests silence the console).</param>
    public static WebApplication Build(ServerOptions options, IHighstateService highstate, TimeProvider? time = null, Action<ILoggingBuilder>? logging = null) =>
        Build(options, (_, _) => highstate, time, logging);

    /// <summary>
    /// As <see cref="Build(ServerOptions, IHighstateService, TimeProvider?, Action{ILoggingBuilder}?)"/>, with the
    /// highstate service made once the metadata database is open (the Salt integration stores results there).
    /// </summary>
    /// <param name="options">Server settings.</param>
    /// <param name="highstate">Makes the Salt boundary from the open database and the logger factory.</param>
    /// <param name="time">Clock; the system clock when null.</param>
    /// <param name="logging">Extra logging configuration.</param>
    public static WebApplication Build(ServerOptions options, Func<MetadataDatabase, ILoggerFactory, IHighstateService> highstate, TimeProvider? time = null, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ServerStartupException("invalid configuration: " + string.Join("; ", errors));
        }

        var certificate = options.UsesTls ? ServerCertificate.Load(options.SslCrt!, options.SslKey!) : null;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options, certificate));
        // Kestrel's own pool hands out 4 KiB blocks, so each read of a request body fills at most 4 KiB:
        // 64 KiB blocks make a 234 MB upload ~16x fewer reads and reader wake-ups (bench/README.md, sixth
        // round). The socket transport keeps its default of waiting for data with a zero-byte read before
        // it takes a block, so an idle connection (a keep-alive client, a client that connects and sends
        // nothing) holds no block at all: with 64 KiB blocks, holding one while waiting would pin 64 KiB
        // per open socket, and the number of sockets has no cap of its own.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, Transport.ReceiveBlockPoolFactory>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSpiroServices(options, highstate, time ?? TimeProvider.System);
        if (options.Dashboard.Enabled)
        {
            builder.Services.AddSpiroDashboard(options.Dashboard);
            builder.Services.AddSingleton<IDeployEventFeed, DashboardEventFeed>();
        }

        var app = builder.Build();
        var cluster = app.Services.GetService<Spiro.Cluster.Sharing.ClusterReleases>();
        Deploys.DeployRecovery.Run(
            app.Services.GetRequiredService<Deploys.DeployRecorder>(),
            app.Services.GetRequiredService<Spiro.Core.Releases.ReleaseStore>(),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Deploys.DeployRecovery)),
            cluster is null ? null : cluster.OwnsDeploy);

        // A cluster's master catches up with the others before it serves (docs/cluster.md).
        app.Services.GetService<Cluster.ClusterFollowService>()?.CatchUpAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (cluster is not null)
        {
            app.Use(Cluster.ClusterOutage.Middleware);
        }

        var api = app.MapGroup("/api/v1");
        CompatEndpoints.Map(app);
        DeployApiEndpoints.Map(api);
        DeltaPlanEndpoints.Map(api);
        PlanEndpoints.Map(api);
        DiffEndpoints.Map(api);
        ReleaseApiEndpoints.Map(api);
        TokenApiEndpoints.Map(api);
        HealthEndpoints.Map(app, api);
        if (options.Dashboard.Enabled)
        {
            app.MapSpiroDashboard();
        }

        LogStart(app, options);
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ServerOptions options, ServerCertificate? certificate)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyRate, options.MinRequestBodyRateGrace);
        // Over TLS, HTTP/2 is offered (browsers share one connection between the dashboard's tabs and
        // their live event streams). Every stream's body and response pipes take 64 KiB blocks from the
        // receive pool, so Kestrel's 100 streams would let one connection pin 100 blocks or more with
        // a few bytes each; a client past this limit waits for a stream to end (docs/api.md).
        kestrel.Limits.Http2.MaxStreamsPerConnection = MaxHttp2StreamsPerConnection;
        var endpoint = options.Host switch
        {
            "*" or "0.0.0.0" => new IPEndPoint(IPAddress.Any, options.Port),
            "localhost" => new IPEndPoint(IPAddress.Loopback, options.Port),
            _ => new IPEndPoint(IPAddress.Parse(options.Host), options.Port),
        };
        kestrel.Listen(endpoint, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate.Certificate;
                    https.ServerCertificateChain = certificate.Chain;
                    https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                });
            }
        });
    }

    private static void LogStart(WebApplication app, ServerOptions options)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Spiro.Server");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            logger.LogInformation("SpiroFS server listening on {Urls}, data {Data}", string.Join(", ", app.Urls), options.Data);
            if (options.Dashboard.Enabled)
            {
                logger.LogInformation("Dashboard at {Url} (sign in with a token)", app.Urls.First().TrimEnd('/') + "/ui/");
            }
            if (!options.UsesTls)
            {
                logger.LogWarning("Serving plain HTTP: tokens and bundles travel unencrypted. Set ssl_crt and ssl_key to enable HTTPS");
            }
        });
    }
}
