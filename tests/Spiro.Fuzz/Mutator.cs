namespace Spiro.Fuzz;

/// <summary>Byte-level mutations of a seed input: flips, inserts, deletes, splices and long repeats (deep nesting, huge fields).</summary>
internal static class Mutator
{
    public static byte[] Mutate(Random random, byte[] seed, byte[] alphabet)
    {
        var data = new List<byte>(seed);
        var steps = random.Next(1, 6);
        for (var i = 0; i < steps; i++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0 when data.Count > 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                    data.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
                case 2 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(random.Next(1, 64), data.Count - at));
                    break;
                case 3 when data.Count > 0:
                    var length = Math.Min(random.Next(1, 512), data.Count - at);
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 4:
                    data.InsertRange(at, Enumerable.Repeat(alphabet[random.Next(alphabet.Length)], random.Next(1, 20_000)));
                    break;
                default:
                    data.RemoveRange(at, data.Count - at);
                    break;
            }
        }

        return [.. data];
    }
}
