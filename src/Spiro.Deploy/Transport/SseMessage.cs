namespace Spiro.Deploy.Transport;

/// <summary>One server-sent event as received.</summary>
/// <param name="Event">The <c>event:</c> field (<c>message</c> when absent).</param>
/// <param name="Data">The <c>data:</c> lines joined with newlines.</param>
/// <param name="Id">The <c>id:</c> field, or null when the message had none.</param>
internal sealed record SseMessage(string Event, string Data, string? Id);
