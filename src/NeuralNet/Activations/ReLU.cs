using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Activations;

/// <summary>Rectified linear unit: <c>f(z) = max(0, z)</c>, <c>f'(z) = 1</c> if <c>z &gt; 0</c>, else 0.</summary>
public sealed class ReLU : IActivation
{
    /// <summary>The shared instance.</summary>
    public static ReLU Instance { get; } = new();

    private ReLU() { }

    /// <inheritdoc />
    public string Name => "relu";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Max(input, T.Zero, output);

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // dz = z > 0 ? g : 0, a vector compare and select at a time (z = NaN selects 0, as the scalar rule does).
        int n = outputGradient.Length;
        ref T z = ref MemoryMarshal.GetReference(input);
        ref T g = ref MemoryMarshal.GetReference(outputGradient);
        ref T dz = ref MemoryMarshal.GetReference(inputGradient[..n]);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> positive = Vector.GreaterThan(Vector.LoadUnsafe(ref z, (nuint)i), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, Vector.LoadUnsafe(ref g, (nuint)i), Vector<T>.Zero).StoreUnsafe(ref dz, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dz, i) = Unsafe.Add(ref z, i) > T.Zero ? Unsafe.Add(ref g, i) : T.Zero;
        }
    }
}
