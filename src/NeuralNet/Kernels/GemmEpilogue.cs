using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using NeuralNet.Activations;

namespace NeuralNet.Kernels;

/// <summary>
/// What a product does to C once a block of it is final: <c>C[i, j] += bias[j]</c>, then, when asked,
/// <c>R[i, j] = max(C[i, j], 0)</c> into a matrix R with C's leading dimension (R may be C itself); or, for an input
/// gradient flowing into a ReLU layer, <c>C[i, j] = Z[i, j] &gt; 0 ? C[i, j] : 0</c> with that layer's pre-activations Z
/// (<see cref="ReLU"/>'s backward pass, in place); or, for a weight gradient <c>X^T dZ</c>, the bias gradient
/// <c>sums[j] = Σ_b dZ[b, j]</c> of the same columns (<see cref="ColumnSums"/>). Each thread of a
/// split product applies it to its own block straight after computing it, while the block is in its cache, instead of
/// the caller making two more passes over C alone while the other threads wait. The operations are those of the
/// separate passes (<c>TensorPrimitives.Add</c> of a scalar, <c>TensorPrimitives.Max</c> with 0, IEEE semantics: NaN
/// stays NaN), one element at a time, so the bits do not depend on how C was split.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal readonly unsafe struct GemmEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T* _bias;
    private readonly T* _rectified;
    private readonly T* _mask;
    private readonly T* _sumSource;
    private readonly T* _sums;
    private readonly int _sumRows;

    /// <param name="bias">One value per column of C, or null for none.</param>
    /// <param name="rectified">Where <c>max(C, 0)</c> goes (C's leading dimension), or null for none.</param>
    public GemmEpilogue(T* bias, T* rectified)
    {
        _bias = bias;
        _rectified = rectified;
    }

    private GemmEpilogue(T* mask) => _mask = mask;

    /// <summary>The ReLU derivative: <c>C = Z &gt; 0 ? C : 0</c>, Z with C's leading dimension (NaN in Z gives 0);
    /// with <paramref name="z"/> null, the empty epilogue.</summary>
    public static GemmEpilogue<T> ReluMask(T* z) => new(z);

    private GemmEpilogue(T* source, int rows, T* sums)
    {
        _sumSource = source;
        _sumRows = rows;
        _sums = sums;
    }

    /// <summary>
    /// <c>sums[j] = TensorPrimitives.Sum(source[j*rows .. (j+1)*rows))</c> for the columns j of each block of C that
    /// holds C's row 0 (each column of C is in exactly one such block however the product is split): the bias gradient
    /// <c>Σ_b dZ[b, j]</c> of a dense layer, with <paramref name="source"/> its <c>dZ</c> (<c>[rows x columns of C]</c>,
    /// column-major), summed by whichever thread finishes those columns of <c>dW = X^T dZ</c> instead of by the caller
    /// afterwards while the other threads wait. C itself is not changed; the sums are those of
    /// <c>TensorPrimitives.Sum</c> on each column, so the bits do not depend on the split.
    /// </summary>
    public static GemmEpilogue<T> ColumnSums(T* source, int rows, T* sums) => new(source, rows, sums);

    /// <summary>Whether there is nothing to do.</summary>
    public bool IsEmpty => _bias == null && _rectified == null && _mask == null && _sums == null;

    /// <summary>Applies the epilogue to rows <c>[r0, r1)</c>, columns <c>[c0, c1)</c> of C.</summary>
    public void Apply(T* c, int ldc, int r0, int r1, int c0, int c1)
    {
        int rows = r1 - r0;
        if (IsEmpty || rows <= 0 || c1 <= c0)
        {
            return;
        }

        if (_sums != null)
        {
            if (r0 == 0)
            {
                for (int j = c0; j < c1; j++)
                {
                    _sums[j] = TensorPrimitives.Sum(new ReadOnlySpan<T>(_sumSource + (nint)j * _sumRows, _sumRows));
                }
            }

            return;
        }

        if (_mask != null)
        {
            for (int j = c0; j < c1; j++)
            {
                nint offset = (nint)j * ldc + r0;
                Span<T> column = new(c + offset, rows);
                ReLU.Instance.Backward<T>(new ReadOnlySpan<T>(_mask + offset, rows), default, column, column, rows);
            }

            return;
        }

        if (rows == 1 && ldc == 1)
        {
            // One row stored contiguously (a batch of one): the whole row at once, element by element as below.
            Finish(new Span<T>(c + r0 + c0, c1 - c0), _bias == null ? default : new ReadOnlySpan<T>(_bias + c0, c1 - c0), _rectified == null ? default : new Span<T>(_rectified + r0 + c0, c1 - c0));
            return;
        }

        for (int j = c0; j < c1; j++)
        {
            nint offset = (nint)j * ldc + r0;
            if (_bias != null && _rectified != null)
            {
                AddRectify(c + offset, _bias[j], _rectified + offset, rows);
                continue;
            }

            Span<T> column = new(c + offset, rows);
            if (_bias != null)
            {
                TensorPrimitives.Add(column, _bias[j], column);
            }

            if (_rectified != null)
            {
                TensorPrimitives.Max(column, T.Zero, new Span<T>(_rectified + offset, rows));
            }
        }
    }

    /// <summary>
    /// <c>column[i] += bias</c>, then <c>rectified[i] = max(column[i], 0)</c> (rectified may be column), in one pass
    /// instead of <c>TensorPrimitives.Add</c> and <c>TensorPrimitives.Max</c> one after the other: the same two
    /// operations on each element (<see cref="Vector512.Max{T}"/> and <c>T.Max</c> are IEEE 754 maximum, as
    /// <c>TensorPrimitives.Max</c> is: NaN stays NaN, <c>max(-0, 0) = +0</c>), without two calls per column of a
    /// 128-row batch and a second read of it.
    /// </summary>
    internal static void AddRectify(T* column, T bias, T* rectified, int rows)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            Vector512<T> b = Vector512.Create(bias);
            for (; i <= rows - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                Vector512<T> z = Vector512.Load(column + i) + b;
                z.Store(column + i);
                Vector512.Max(z, Vector512<T>.Zero).Store(rectified + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            // AVX2 machines (the Zen 3 of docs/benchmarks.md): the same operations 256 bits at a time.
            Vector256<T> b = Vector256.Create(bias);
            for (; i <= rows - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> z = Vector256.Load(column + i) + b;
                z.Store(column + i);
                Vector256.Max(z, Vector256<T>.Zero).Store(rectified + i);
            }
        }

        for (; i < rows; i++)
        {
            T z = column[i] + bias;
            column[i] = z;
            rectified[i] = T.Max(z, T.Zero);
        }
    }

    private static void Finish(Span<T> row, ReadOnlySpan<T> bias, Span<T> rectified)
    {
        if (!bias.IsEmpty)
        {
            TensorPrimitives.Add(row, bias, row);
        }

        if (!rectified.IsEmpty)
        {
            TensorPrimitives.Max(row, T.Zero, rectified);
        }
    }
}
