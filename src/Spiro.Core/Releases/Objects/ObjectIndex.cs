namespace Spiro.Core.Releases.Objects;

/// <summary>
/// Which objects <c>objects/</c> may hold, as a Bloom filter: "certainly not" lets the bundle reader
/// skip its link probe for new content. A failing <c>linkat</c> walks the path and allocates a
/// negative dentry; on a first deploy of 20,000 new files into a store that holds anything, those
/// probes were ~130 ms of the writer's CPU (bench/README.md, seventh round). Built by a scan of
/// <c>objects/</c> on a background thread (until it is done every probe is made, as before), kept up
/// to date with the objects this process adds, rebuilt after <see cref="RebuildAfter"/> or once it
/// holds more than it was sized for. An object another process adds (a <c>spiro publish</c> from the
/// CLI, an import) is unknown here until the next rebuild: its file is then written and deduplicated
/// at adoption, which costs a write and never a wrong release. An object garbage collection
/// removed stays "maybe": the probe then fails, as before. Never consulted where an object must
/// exist (a negotiated upload's references link without asking it).
/// </summary>
internal sealed class ObjectIndex(string objectsDirectory)
{
    /// <summary>How long an index is trusted before it is built again from a scan.</summary>
    public static readonly TimeSpan RebuildAfter = TimeSpan.FromMinutes(10);

    // Sized for this many objects at first (~1.3 MiB of bits); a store past it gets a larger filter on its rebuild.
    private const long MinCapacity = 1 << 20;

    private readonly Lock _gate = new();
    private Filter? _ready;
    private Filter? _building;
    private Task _build = Task.CompletedTask;

    /// <summary>Finishes when the build in progress (if any) is done: for tests.</summary>
    internal Task Built => _build;

    /// <summary>False only when the object is certainly not in <c>objects/</c> (as of the last scan and this process's adds).</summary>
    public bool MayContain(string sha256, bool executable) =>
        Volatile.Read(ref _ready) is not { } ready || !Filter.TryHash(sha256, executable, out var h1, out var h2) || ready.MayContain(h1, h2);

    /// <summary>Records an object this process just made (in the filter in use and in one being built).</summary>
    public void Add(string sha256, bool executable)
    {
        if (!Filter.TryHash(sha256, executable, out var h1, out var h2))
        {
            return;
        }

        // The one being built first: a build that finishes in between moves it to _ready, read next.
        Volatile.Read(ref _building)?.Add(h1, h2);
        Volatile.Read(ref _ready)?.Add(h1, h2);
    }

    /// <summary>Starts a build on a background thread unless one runs or the index is fresh and not overfull.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            var ready = _ready;
            if (_building is not null || (ready is not null && !ready.Overfull && Environment.TickCount64 - ready.BuiltAt < (long)RebuildAfter.TotalMilliseconds))
            {
                return;
            }

            var building = new Filter(Math.Max(MinCapacity, 2 * (ready?.Count ?? 0)));
            Volatile.Write(ref _building, building);
            _build = Task.Run(() => Build(building));
        }
    }

    private void Build(Filter building)
    {
        try
        {
            if (Directory.Exists(objectsDirectory))
            {
                foreach (var fanOut in Directory.EnumerateDirectories(objectsDirectory))
                {
                    foreach (var path in Directory.EnumerateFiles(fanOut))
                    {
                        var name = Path.GetFileName(path.AsSpan());
                        var executable = name.EndsWith(".x", StringComparison.Ordinal);
                        if (Filter.TryHash(executable ? name[..^2] : name, executable, out var h1, out var h2))
                        {
                            building.Add(h1, h2);
                        }
                    }
                }
            }

            building.BuiltAt = Environment.TickCount64;
            lock (_gate)
            {
                // _ready before _building: an Add in between reaches the new filter either way.
                Volatile.Write(ref _ready, building);
                Volatile.Write(ref _building, null);
            }
        }
#pragma warning disable CA1031 // An index that cannot be built leaves every probe to the file system, as before it existed.
        catch (Exception)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                Volatile.Write(ref _building, null);
            }
        }
    }

    /// <summary>The bits: about ten per object and seven probes, ~1% false "maybe" at capacity.</summary>
    private sealed class Filter
    {
        private const int Probes = 7;

        private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

        private readonly long[] _words;
        private readonly long _mask;
        private readonly long _capacity;
        private long _count;

        public Filter(long capacity)
        {
            _capacity = capacity;
            var bits = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)(capacity * 10));
            _words = new long[bits / 64];
            _mask = bits - 1;
        }

        public long BuiltAt { get; set; }

        public long Count => Interlocked.Read(ref _count);

        public bool Overfull => Count > _capacity;

        /// <summary>Two 64-bit hashes from the name's own hex digits (a sha256 is already uniform); false for anything but 64 lower-case hex digits.</summary>
        public static bool TryHash(ReadOnlySpan<char> sha256, bool executable, out ulong h1, out ulong h2)
        {
            h1 = h2 = 0;
            if (sha256.Length != 64
                || !ulong.TryParse(sha256[..16], System.Globalization.NumberStyles.AllowHexSpecifier, null, out h1)
                || !ulong.TryParse(sha256[16..32], System.Globalization.NumberStyles.AllowHexSpecifier, null, out h2)
                || sha256.ContainsAnyExcept(LowerHex))
            {
                return false;
            }

            if (executable)
            {
                h1 ^= 0x9E37_79B9_7F4A_7C15;
            }

            h2 |= 1;
            return true;
        }

        public bool MayContain(ulong h1, ulong h2)
        {
            for (var i = 0UL; i < Probes; i++)
            {
                var bit = (long)(h1 + (i * h2)) & _mask;
                if ((Volatile.Read(ref _words[bit >> 6]) & (1L << (int)(bit & 63))) == 0)
                {
                    return false;
                }
            }

            return true;
        }

        public void Add(ulong h1, ulong h2)
        {
            for (var i = 0UL; i < Probes; i++)
            {
                var bit = (long)(h1 + (i * h2)) & _mask;
                Interlocked.Or(ref _words[bit >> 6], 1L << (int)(bit & 63));
            }

            Interlocked.Increment(ref _count);
        }
    }
}
