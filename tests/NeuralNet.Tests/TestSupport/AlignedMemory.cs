using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Tests.TestSupport;

/// <summary>
/// Memory whose first element is on a 64-byte boundary for certain, for tests of the paths that only aligned data take.
/// <c>AlignedArrays.Allocate</c> gives up after 16 tries and returns the array as it lands (the library needs no more),
/// so a test that relied on it failed now and then: 1 run in about 50, more under the Debug build's heap churn.
/// </summary>
public static class AlignedMemory
{
    /// <summary><paramref name="length"/> zeroed values in a pinned array, starting on a 64-byte boundary (the span keeps
    /// the array alive; pointers taken with <c>fixed</c> stay valid).</summary>
    public static unsafe Span<T> Span<T>(int length) where T : unmanaged
    {
        int slack = 64 / sizeof(T);
        T[] array = GC.AllocateArray<T>(length + slack, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int offset = (int)((64 - (address & 63)) & 63) / sizeof(T);
        return array.AsSpan(offset, length);
    }

    /// <summary>How many bytes the first element of <paramref name="values"/> lies past a 64-byte boundary.</summary>
    public static unsafe int Misalignment<T>(ReadOnlySpan<T> values) where T : unmanaged =>
        (int)((nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(values)) & 63);
}
