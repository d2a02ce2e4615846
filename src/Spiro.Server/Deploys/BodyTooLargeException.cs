namespace Spiro.Server.Deploys;

/// <summary>The request body passed the configured <c>max_body_size</c>.</summary>
internal sealed class BodyTooLargeException(long limit)
    : IOException($"request body exceeds the limit of {limit} bytes (max_body_size)")
{
    public long Limit { get; } = limit;
}
