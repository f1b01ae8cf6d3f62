using System.Runtime.InteropServices;

namespace CachedMethods.Internal;

/// <summary>
/// A hit counter that many cores increment without sharing a cache line: one padded slot per processor
/// (by <see cref="Thread.GetCurrentProcessorId"/>), summed when read. Exact: every increment is interlocked.
/// </summary>
internal sealed class StripedCounter
{
    private readonly Slot[] _slots = new Slot[SlotCount()];

    public long Value
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _slots.Length; i++)
            {
                sum += Interlocked.Read(ref _slots[i].Count);
            }

            return sum;
        }
    }

    public void Increment() => Interlocked.Increment(ref _slots[Thread.GetCurrentProcessorId() & (_slots.Length - 1)].Count);

    public void Reset()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            Interlocked.Exchange(ref _slots[i].Count, 0);
        }
    }

    private static int SlotCount()
    {
        var count = 1;
        while (count < Environment.ProcessorCount && count < 64)
        {
            count <<= 1;
        }

        return count;
    }

    // 128 bytes apart: two adjacent cache lines, which some processors prefetch together.
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Slot
    {
        [FieldOffset(64)]
        public long Count;
    }
}
