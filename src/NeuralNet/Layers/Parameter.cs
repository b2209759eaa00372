using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

/// <summary>
/// A trainable tensor of a layer and its gradient: a <c>Rows x Columns</c> matrix stored column-major in one array,
/// so optimisers see a flat span and users see a MathNet matrix over the same memory.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _value;
    private readonly T[] _gradient;

    /// <summary>Creates a zero-filled parameter.</summary>
    /// <param name="name">Short name within its layer, e.g. <c>W</c> or <c>b</c>.</param>
    /// <param name="rows">Rows (at least 1).</param>
    /// <param name="columns">Columns (at least 1).</param>
    /// <param name="regularized">Whether L2 penalties and decoupled weight decay apply (weights yes, biases no).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    public Parameter(string name, int rows, int columns, bool regularized)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowHelper.ThrowIfNotPositive(rows, nameof(rows));
        ThrowHelper.ThrowIfNotPositive(columns, nameof(columns));
        Name = name;
        Rows = rows;
        Columns = columns;
        IsRegularized = regularized;
        _value = AlignedArrays.Allocate<T>(rows * columns);
        _gradient = AlignedArrays.Allocate<T>(rows * columns);
    }

    /// <summary>Short name within its layer.</summary>
    public string Name { get; }

    /// <summary>Rows of the matrix.</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix.</summary>
    public int Columns { get; }

    /// <summary>Number of scalars, <c>Rows * Columns</c>.</summary>
    public int Length => _value.Length;

    /// <summary>Whether L2 penalties and decoupled weight decay apply.</summary>
    public bool IsRegularized { get; }

    /// <summary>The values, column-major.</summary>
    public Span<T> Value => _value;

    /// <summary>The gradient of the last backward pass, column-major, same layout as <see cref="Value"/>.</summary>
    public Span<T> Gradient => _gradient;

    /// <summary>The array behind <see cref="Value"/>.</summary>
    internal T[] ValueArray => _value;

    /// <summary>A MathNet matrix bound to <see cref="Value"/> (no copy: writes to it change the parameter).</summary>
    public Matrix<T> AsMatrix() => Matrix<T>.Build.Dense(Rows, Columns, _value);

    /// <summary>A MathNet matrix bound to <see cref="Gradient"/>.</summary>
    public Matrix<T> GradientAsMatrix() => Matrix<T>.Build.Dense(Rows, Columns, _gradient);
}
