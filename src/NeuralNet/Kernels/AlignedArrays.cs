using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Zero-filled arrays whose first element starts on a 64-byte boundary, for the tensors that 512-bit kernels stream
/// through (weights, gradients, optimiser state). .NET has no aligned array allocation: an array's data sits 16 bytes
/// into the object, wherever the heap put it, so a <c>Vector512</c> load of such an array straddles two cache lines
/// every time, which Intel cores pay for in load and store bandwidth. These arrays are allocated pinned (the pinned
/// heap never moves them, so an alignment found once holds for the array's life), and when one lands off a boundary a
/// pinned filler is allocated to shift the next try. Alignment is only a speed matter: after
/// <see cref="Attempts"/> tries the last array is returned as it is, and every kernel gives the same bits either way.
/// </summary>
internal static unsafe class AlignedArrays
{
    /// <summary>The boundary sought: one cache line, one 512-bit vector.</summary>
    internal const int Alignment = 64;

    /// <summary>Arrays smaller than this are allocated normally: a few unaligned vectors cost nothing worth pinning for.</summary>
    internal const int MinBytes = 4096;

    /// <summary>Arrays larger than this are allocated normally: each failed try keeps the array and a filler as large
    /// as it until the tries end, so a huge tensor's transient memory would multiply.</summary>
    internal const long MaxBytes = 4L << 20;

    /// <summary>Allocations tried before giving up on the alignment.</summary>
    private const int Attempts = 16;

    /// <summary>Bytes of an empty <c>byte[]</c> on a 64-bit runtime (object header, method table, length): the filler's
    /// smallest size.</summary>
    private const int EmptyArrayBytes = 24;

    /// <summary>Returns a zero-filled array of <paramref name="length"/> elements, 64-byte aligned where the runtime allowed it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static T[] Allocate<T>(int length) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long bytes = (long)length * sizeof(T);
        if (bytes < MinBytes || bytes > MaxBytes || IntPtr.Size != 8)
        {
            return new T[length];
        }

        T[] array = GC.AllocateArray<T>(length, pinned: true);
        object?[]? tried = null;
        for (int attempt = 1; attempt < Attempts && Misalignment(array) != 0; attempt++)
        {
            // The misplaced array and filler stay reachable until the loop ends, so the next try cannot land in their space.
            tried ??= new object?[2 * Attempts];
            tried[2 * attempt] = array;
            // The next pinned object would start where this one ends (data address + data bytes rounded up to 8, plus
            // the next object's 24-byte header): a filler that ends there shifts the next array's data by its own size.
            // The filler is as large as the array, so it goes where the array went: a small one may fill the tail of an
            // older region of the heap that the array did not fit in, shifting nothing.
            long next = Address(array) + ((bytes + 7) & ~7L) + EmptyArrayBytes;
            long shift = (Alignment - (next & (Alignment - 1))) & (Alignment - 1);
            long filler = (((bytes + 7) & ~7L) & ~(long)(Alignment - 1)) + Alignment + shift;
            tried[2 * attempt + 1] = GC.AllocateUninitializedArray<byte>((int)(filler - EmptyArrayBytes), pinned: true);
            array = GC.AllocateArray<T>(length, pinned: true);
        }

        GC.KeepAlive(tried);
        return array;
    }

    /// <summary>Returns the first <paramref name="length"/> elements of <paramref name="buffer"/>, first replacing it with
    /// a larger <see cref="Allocate{T}"/>d array when it is too short: the per-batch buffers of layers and networks
    /// (activations, gradients, batches), which the GEMM reads in place when they start on a vector boundary.</summary>
    public static Span<T> Rent<T>(ref T[] buffer, int length) where T : unmanaged
    {
        if (buffer.Length < length)
        {
            buffer = Allocate<T>(length);
        }

        return buffer.AsSpan(0, length);
    }

    /// <summary>The address of the first element modulo <see cref="Alignment"/>.</summary>
    internal static int Misalignment<T>(T[] array) where T : unmanaged => (int)(Address(array) & (Alignment - 1));

    private static long Address<T>(T[] array) where T : unmanaged =>
        (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
}
