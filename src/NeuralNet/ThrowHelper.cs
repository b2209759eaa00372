using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>Argument checks shared by the public entry points; throwing lives here so hot loops stay small.</summary>
internal static class ThrowHelper
{
    public static void ThrowIfNotPositive(int value, string paramName)
    {
        if (value <= 0)
        {
            ThrowNotPositive(value, paramName);
        }
    }

    [DoesNotReturn]
    private static void ThrowNotPositive(int value, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be positive. Received: {paramName}={value}");

    public static void ThrowIfNotPositive(double value, string paramName)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a positive finite number. Received: {paramName}={value}");
        }
    }

    public static void ThrowIfNegativeOrNotFinite(double value, string paramName)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a non-negative finite number. Received: {paramName}={value}");
        }
    }

    /// <summary>True when no value is NaN or infinite: one vectorised pass (MaxMagnitude is NaN when any value is NaN,
    /// infinite when any is infinite).</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        values.IsEmpty || T.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<T>(values));

    /// <summary>Throws when rows <c>[firstRow, RowCount)</c> of <paramref name="m"/> hold NaN or an infinity, naming the
    /// matrix, the row and the column of the first one (in column-major order).</summary>
    public static void ThrowIfNotFinite<T>(Matrix<T> m, string paramName, int firstRow = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] values = ColumnMajor(m);
        int rows = m.RowCount;
        if (firstRow == 0 ? AllFinite<T>(values) : AllFiniteRows(values, rows, firstRow))
        {
            return;
        }

        int index = Array.FindIndex(values, v => !T.IsFinite(v));
        throw new ArgumentException(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{paramName}[{index % rows}, {index / rows}] is {values[index]} (row {index % rows}, column {index / rows} of {paramName} {Shape(m)}); training data must be finite: look for missing values or overflow when loading or scaling."),
            paramName);
    }

    /// <summary><see cref="AllFinite{T}"/> over rows <c>[firstRow, rows)</c> of a column-major matrix.</summary>
    private static bool AllFiniteRows<T>(T[] values, int rows, int firstRow) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < values.Length; start += rows)
        {
            if (!AllFinite<T>(values.AsSpan(start + firstRow, rows - firstRow)))
            {
                return false;
            }
        }

        return true;
    }

    public static string Shape<T>(Matrix<T> m) where T : struct, IEquatable<T>, IFormattable => $"[{m.RowCount}x{m.ColumnCount}]";

    /// <summary>Checks that T is one of the two precisions MathNet and the kernels support.</summary>
    public static void ThrowIfUnsupportedType<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"NeuralNet supports float and double; received {typeof(T).Name}.");
        }
    }

    /// <summary>Returns the column-major storage of <paramref name="m"/>, copying only when it is not dense.</summary>
    public static T[] ColumnMajor<T>(Matrix<T> m) where T : struct, IEquatable<T>, IFormattable =>
        m.AsColumnMajorArray() ?? m.ToColumnMajorArray();

    public static T Cast<T>(double value) where T : INumberBase<T> => T.CreateTruncating(value);
}
