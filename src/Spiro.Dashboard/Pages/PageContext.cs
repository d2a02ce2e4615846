using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard.Pages;

/// <summary>What every page needs besides its data: who looks (null on the sign-in page) and the form's anti-forgery token.</summary>
/// <param name="Viewer">The signed-in viewer, or null.</param>
/// <param name="Csrf">The anti-forgery request token every form carries.</param>
internal sealed record PageContext(Viewer? Viewer, string Csrf);
