using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Allocates the large arrays that are filled once and then read many times, such as the trainer's row-major copy of
/// the training rows (60,000 x 784 floats = 188 MB). On Linux such an array is pinned and its 2 MiB-aligned interior
/// is marked <c>MADV_HUGEPAGE</c> before it is first written, so that the kernel backs it with transparent huge pages
/// where it allows them (<c>/sys/kernel/mm/transparent_hugepage/enabled</c> set to <c>madvise</c> or <c>always</c>):
/// one page fault per 2 MiB instead of one per 4 KiB. On the virtual machines this library is measured on a 4 KiB fault
/// costs tens of microseconds, so faulting in 188 MB took seconds. The advice changes only how the memory is mapped,
/// never its contents; where it is refused or unavailable the array is an ordinary one.
/// </summary>
internal static unsafe partial class LargeArrays
{
    /// <summary>The size of a transparent huge page on x86-64 and arm64 Linux.</summary>
    private const long HugePage = 2 * 1024 * 1024;

    /// <summary><c>MADV_HUGEPAGE</c> from <c>&lt;sys/mman.h&gt;</c>.</summary>
    private const int AdviseHugePage = 14;

    /// <summary>Arrays of at least this many bytes are advised; below it a few 4 KiB faults cost nothing worth saving.</summary>
    internal const long Threshold = 4 * HugePage;

    /// <summary>
    /// Returns an array of <paramref name="length"/> elements whose contents are unspecified (the caller overwrites
    /// them), pinned and advised for huge pages on Linux when it spans at least <see cref="Threshold"/> bytes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static T[] AllocateUninitialized<T>(int length) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long bytes = (long)length * sizeof(T);
        if (!OperatingSystem.IsLinux() || bytes < Threshold)
        {
            return GC.AllocateUninitializedArray<T>(length);
        }

        // Pinned, so the advised address range stays the array's for its whole life.
        T[] array = GC.AllocateUninitializedArray<T>(length, pinned: true);
        long first = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        long start = (first + HugePage - 1) & ~(HugePage - 1), end = (first + bytes) & ~(HugePage - 1);
        if (end > start)
        {
            try
            {
                // The result is ignored: a kernel without transparent huge pages answers EINVAL and the array stays as it is.
                _ = Advise((void*)start, (nuint)(end - start), AdviseHugePage);
            }
            catch (DllNotFoundException)
            {
            }
            catch (EntryPointNotFoundException)
            {
            }
        }

        return array;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(void* address, nuint length, int advice);
}
