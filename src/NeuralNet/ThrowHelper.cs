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

    /// <summary>Throws when <paramref name="m"/> holds NaN or an infinity, naming the matrix, the row and the column of
    /// the first one (in column-major order).</summary>
    public static void ThrowIfNotFinite<T>(Matrix<T> m, string paramName) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] values = ColumnMajor(m);

        // MaxMagnitude is NaN when any value is NaN, infinite when any is infinite: one vectorised pass for clean data.
        if (values.Length == 0 || T.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<T>(values)))
        {
            return;
        }

        int index = Array.FindIndex(values, v => !T.IsFinite(v));
        int rows = m.RowCount;
        throw new ArgumentException(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{paramName}[{index % rows}, {index / rows}] is {values[index]} (row {index % rows}, column {index / rows} of {paramName} {Shape(m)}); training data must be finite: look for missing values or overflow when loading or scaling."),
            paramName);
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
