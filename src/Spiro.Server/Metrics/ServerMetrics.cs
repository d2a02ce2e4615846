using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Spiro.Server.Metrics;

/// <summary>Counters for <c>/metrics</c>, written as Prometheus text by hand (no dependency).</summary>
internal sealed class ServerMetrics
{
    private static readonly double[] PublishBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly ConcurrentDictionary<string, long> _deploys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _minions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unauthenticated = new(StringComparer.Ordinal);
    private readonly long[] _publishBucketCounts = new long[PublishBuckets.Length];
    private readonly Lock _publishLock = new();
    private long _bytesReceived;
    private long _publishCount;
    private double _publishSum;

    public void DeployFinished(string result) => _deploys.AddOrUpdate(result, 1, (_, n) => n + 1);

    public void MinionResult(string result) => _minions.AddOrUpdate(result, 1, (_, n) => n + 1);

    /// <summary>A request refused before authentication; <paramref name="reason"/> is one of a few fixed texts.</summary>
    public void Unauthenticated(string reason) => _unauthenticated.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void BytesReceived(long count) => Interlocked.Add(ref _bytesReceived, count);

    public void PublishDuration(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        lock (_publishLock)
        {
            _publishCount++;
            _publishSum += seconds;
            for (var i = 0; i < PublishBuckets.Length; i++)
            {
                if (seconds <= PublishBuckets[i])
                {
                    _publishBucketCounts[i]++;
                }
            }
        }
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP spiro_deploys_total Deploys by result.\n# TYPE spiro_deploys_total counter\n");
        foreach (var (result, count) in _deploys.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line(text, $"spiro_deploys_total{{result=\"{result}\"}}", count);
        }

        text.Append("# HELP spiro_bytes_received_total Request body bytes received by deploy endpoints.\n# TYPE spiro_bytes_received_total counter\n");
        Line(text, "spiro_bytes_received_total", Interlocked.Read(ref _bytesReceived));
        text.Append("# HELP spiro_publish_duration_seconds Time from first body byte to the release being live.\n# TYPE spiro_publish_duration_seconds histogram\n");
        lock (_publishLock)
        {
            for (var i = 0; i < PublishBuckets.Length; i++)
            {
                Line(text, $"spiro_publish_duration_seconds_bucket{{le=\"{PublishBuckets[i].ToString(CultureInfo.InvariantCulture)}\"}}", _publishBucketCounts[i]);
            }

            Line(text, "spiro_publish_duration_seconds_bucket{le=\"+Inf\"}", _publishCount);
            text.Append("spiro_publish_duration_seconds_sum ").Append(_publishSum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            Line(text, "spiro_publish_duration_seconds_count", _publishCount);
        }

        text.Append("# HELP spiro_highstate_minions_total Minion highstate results.\n# TYPE spiro_highstate_minions_total counter\n");
        foreach (var (result, count) in _minions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line(text, $"spiro_highstate_minions_total{{result=\"{result}\"}}", count);
        }

        text.Append("# HELP spiro_unauthenticated_requests_total Requests refused before authentication (not audited), by reason.\n# TYPE spiro_unauthenticated_requests_total counter\n");
        foreach (var (reason, count) in _unauthenticated.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line(text, $"spiro_unauthenticated_requests_total{{reason=\"{reason.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}", count);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, long value) =>
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
