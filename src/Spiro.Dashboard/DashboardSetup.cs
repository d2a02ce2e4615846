using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Contents;
using Spiro.Dashboard.Endpoints;
using Spiro.Dashboard.Pages;
using Spiro.Dashboard.Queries;
using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard;

/// <summary>
/// Adds the web dashboard to a server that has already registered Core's services (release store,
/// deploy log, tokens, audit log, clock) and an <see cref="IDeployEventFeed"/>.
/// </summary>
public static class DashboardSetup
{
    /// <summary>Registers the dashboard's services.</summary>
    public static IServiceCollection AddSpiroDashboard(this IServiceCollection services, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(provider => new ReleaseContents(provider.GetRequiredService<ReleaseStore>()));
        services.TryAddSingleton(provider => new HighstateResultStore(provider.GetRequiredService<MetadataDatabase>()));
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ViewerResolver>();
        services.AddSingleton<PageResults>();
        services.AddSingleton<OverviewQuery>();
        services.AddSingleton<SaltEnvQuery>();
        services.AddSingleton<ReleaseQuery>();
        services.AddSingleton<DeployQuery>();

        services.AddDataProtection();
        services.Configure<KeyManagementOptions>(keys =>
        {
            keys.XmlRepository = new MemoryKeyRepository();
            keys.XmlEncryptor = new NullXmlEncryptor();
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.FormFieldName = PageShell.CsrfField;
            antiforgery.HeaderName = null;
            antiforgery.Cookie.Name = "spiro_csrf";
            antiforgery.Cookie.Path = DashboardPaths.Root;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    /// <summary>Maps <c>/ui/...</c>; every response carries the security headers.</summary>
    public static void MapSpiroDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var ui = app.MapGroup(DashboardPaths.Root);
        ui.AddEndpointFilter(SecurityHeaders.Filter);
        SignInEndpoints.Map(ui);
        PageEndpoints.Map(ui);
        ActionEndpoints.Map(ui);
        AssetEndpoints.Map(ui);
        ui.Map("/{**rest}", (HttpContext http, PageResults pages) =>
            PageResults.NotFound(pages.SignedIn(http) ?? pages.Anonymous(http)));
    }
}
