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
