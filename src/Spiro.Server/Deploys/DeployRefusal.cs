namespace Spiro.Server.Deploys;

/// <summary>How a deploy that did not go live ends (<see cref="DeployPublishOutcome.Refusal"/>).</summary>
/// <param name="DeployStatus">The deploy's final status (<see cref="Spiro.Protocol.Events.DeployStatus"/>).</param>
/// <param name="HttpStatus">The status code the uploader gets.</param>
/// <param name="Message">What the event log and the response say.</param>
internal sealed record DeployRefusal(string DeployStatus, int HttpStatus, string Message);
