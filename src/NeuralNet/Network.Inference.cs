using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet;

/// <summary>Inference: batch and one-sample prediction, with an optional check for non-finite inputs.</summary>
public sealed partial class Network<T>
{
    /// <summary>Runs the network on a batch: <c>[batch x InputSize]</c> in, a new <c>[batch x OutputSize]</c> out.</summary>
    /// <param name="input">One sample per row.</param>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have <see cref="InputSize"/> columns.</exception>
    public Matrix<T> Predict(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input, nameof(input));
        bool counted = Gate.EnterRead();
        try
        {
            return PredictUnguarded(input);
        }
        finally
        {
            Gate.ExitRead(counted);
        }
    }

    /// <summary>Serialises training steps against predictions (see the class remarks).</summary>
    internal WeightGate Gate { get; } = new();

    /// <summary><see cref="Predict(Matrix{T})"/> of rows <c>[first, first + count)</c> of the column-major
    /// <paramref name="input"/> (<paramref name="ld"/> rows, <see cref="InputSize"/> columns), without copying them
    /// first (the trainer's validation split and training metrics): the same outputs, bit for bit, as predicting
    /// <c>SubMatrix(first, count, 0, InputSize)</c> of that matrix, in chunks counted from row <paramref name="first"/>.
    /// Not checked: the trainer checked the data.</summary>
    internal Matrix<T> PredictRows(T[] input, int ld, int first, int count)
    {
        bool counted = Gate.EnterRead();
        try
        {
            return PredictRowsUnguarded(input, ld, first, count);
        }
        finally
        {
            Gate.ExitRead(counted);
        }
    }

    private Matrix<T> PredictUnguarded(Matrix<T> input) =>
        PredictRowsUnguarded(ThrowHelper.ColumnMajor(input), input.RowCount, 0, input.RowCount);

    /// <summary>Rows <c>[first, first + rows)</c> of the column-major <paramref name="x"/> (leading dimension
    /// <paramref name="ld"/>) through the network, <see cref="InferenceChunk"/> rows at a time.</summary>
    private Matrix<T> PredictRowsUnguarded(T[] x, int ld, int first, int rows)
    {
        var result = new T[rows * OutputSize];
        int chunk = Math.Min(rows, InferenceChunk);
        T[] rented = ArrayPool<T>.Shared.Rent(3 * chunk * _maxWidth);
        try
        {
            Span<T> gathered = rented.AsSpan(0, chunk * _maxWidth);
            for (int r0 = 0; r0 < rows; r0 += chunk)
            {
                int cb = Math.Min(chunk, rows - r0);
                ReadOnlySpan<T> block;
                if (cb == ld)
                {
                    block = x;
                }
                else
                {
                    // Gather rows first+r0 .. first+r0+cb of each column into a contiguous [cb x InputSize] block.
                    for (int j = 0; j < InputSize; j++)
                    {
                        x.AsSpan(first + r0 + j * ld, cb).CopyTo(gathered.Slice(j * cb, cb));
                    }

                    block = gathered[..(cb * InputSize)];
                }

                Span<T> output = InferInto(block, cb, rented.AsSpan(chunk * _maxWidth, 2 * chunk * _maxWidth));
                for (int j = 0; j < OutputSize; j++)
                {
                    output.Slice(j * cb, cb).CopyTo(result.AsSpan(r0 + j * rows, cb));
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }

        return Matrix<T>.Build.Dense(rows, OutputSize, result);
    }

    /// <summary>Runs the network on one sample without allocating.</summary>
    /// <remarks>
    /// <para>After the first call on a thread, a call allocates nothing: the layers ping-pong between two halves of a
    /// scratch array kept per thread, and dense layers run the single-row kernel (<c>Kernels/RowVectorKernels</c>: one
    /// pass over each weight column as stored, bias and ReLU fused). Layers without a single-row path run their batch
    /// inference on a batch of one.</para>
    /// <para>The outputs are bit-identical to <see cref="Predict(Matrix{T})"/> of a one-row matrix (and to what this
    /// method returned before it had a single-row kernel). Against the same sample as one row of a larger batch they agree
    /// to within float rounding, not always bit for bit: the batch product sums each output over the inputs in one
    /// sequential FMA chain per depth block, the one-row product in vector lanes that are added at the end (tests bound
    /// the difference at a few ulps).</para>
    /// <para>Safe to call from many threads at once and while the network trains (see the class remarks).</para>
    /// </remarks>
    /// <param name="input">The sample, length <see cref="InputSize"/>.</param>
    /// <param name="output">Destination, length at least <see cref="OutputSize"/>; its first <see cref="OutputSize"/>
    /// values are written.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Predict(ReadOnlySpan<T> input, Span<T> output)
    {
        if (input.Length != InputSize)
        {
            throw new ArgumentException($"expected {InputSize} inputs, got {input.Length}.", nameof(input));
        }

        if (output.Length < OutputSize)
        {
            throw new ArgumentException($"output has room for {output.Length} values but the network produces {OutputSize}.", nameof(output));
        }

        // Taken off the thread while in use, so a layer that predicts with another network on the same thread
        // (a nested call) gets an array of its own instead of overwriting this one.
        T[]? scratch = t_rowScratch;
        t_rowScratch = null;
        if (scratch is null || scratch.Length < 2 * _maxWidth)
        {
            scratch = new T[2 * _maxWidth];
        }

        bool counted = Gate.EnterRead();
        try
        {
            InferInto(input, 1, scratch).CopyTo(output);
        }
        finally
        {
            Gate.ExitRead(counted);
            t_rowScratch = scratch;
        }
    }

    /// <summary>The calling thread's scratch for one-sample prediction (two layer widths), kept between calls.</summary>
    [ThreadStatic]
    private static T[]? t_rowScratch;

    /// <summary>Ping-pongs the layers between the two halves of <paramref name="scratch"/>; returns the final output.
    /// A batch of one takes each layer's single-row path.</summary>
    private Span<T> InferInto(ReadOnlySpan<T> input, int batchSize, Span<T> scratch)
    {
        int half = batchSize * _maxWidth;
        Span<T> current = default;
        for (int i = 0; i < _layers.Length; i++)
        {
            Span<T> next = scratch.Slice((i & 1) * half, batchSize * _layers[i].OutputSize);
            if (batchSize == 1)
            {
                _layers[i].InferRow(i == 0 ? input : current, next);
            }
            else
            {
                _layers[i].Infer(i == 0 ? input : current, next, batchSize);
            }

            current = next;
        }

        return current;
    }

    /// <summary>Runs the network on a batch like <see cref="Predict(Matrix{T})"/>, first checking that every input is
    /// finite when <paramref name="rejectNonFinite"/> is true (a NaN input otherwise gives NaN outputs without a word).</summary>
    /// <param name="input">One sample per row, <c>[batch x InputSize]</c>.</param>
    /// <param name="rejectNonFinite">Whether to reject NaN and infinite inputs.</param>
    /// <returns>A new <c>[batch x OutputSize]</c> matrix.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong number of columns, or (when checked)
    /// holds a NaN or infinity; the message names the first such row and column.</exception>
    public Matrix<T> Predict(Matrix<T> input, bool rejectNonFinite)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (rejectNonFinite)
        {
            CheckInput(input, nameof(input));
            ThrowIfNonFinite(ThrowHelper.ColumnMajor(input), input.RowCount, nameof(input));
        }

        return Predict(input);
    }

    /// <summary>Runs the network on one sample like <see cref="Predict(ReadOnlySpan{T}, Span{T})"/>, first checking that
    /// every input is finite when <paramref name="rejectNonFinite"/> is true.</summary>
    /// <param name="input">The sample, length <see cref="InputSize"/>.</param>
    /// <param name="output">Destination, length at least <see cref="OutputSize"/>.</param>
    /// <param name="rejectNonFinite">Whether to reject NaN and infinite inputs.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or (when checked) an input is NaN or infinite.</exception>
    public void Predict(ReadOnlySpan<T> input, Span<T> output, bool rejectNonFinite)
    {
        if (rejectNonFinite)
        {
            ThrowIfNonFinite(input, 1, nameof(input));
        }

        Predict(input, output);
    }

    /// <summary>Throws naming the first non-finite value of a column-major <c>[rows x n]</c> block.</summary>
    private static void ThrowIfNonFinite(ReadOnlySpan<T> values, int rows, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new ArgumentException($"input[{i % rows}, {i / rows}] is {double.CreateTruncating(values[i]).ToString(CultureInfo.InvariantCulture)}; the network needs finite inputs (fill or drop missing values first).", paramName);
            }
        }
    }
}
