using System.Globalization;

namespace NeuralNet;

/// <summary>
/// The shape of one sample's features: <c>Channels x Height x Width</c>. A sample is stored as a row of
/// <see cref="Size"/> = <c>C·H·W</c> features in channel-major order, feature <c>(c, h, w)</c> at column
/// <c>(c·H + h)·W + w</c>: how PyTorch and ONNX flatten an NCHW tensor. Plain feature vectors are <c>1 x 1 x N</c>.
/// </summary>
/// <param name="Channels">Channels <c>C</c>, at least 1.</param>
/// <param name="Height">Rows of each channel <c>H</c>, at least 1.</param>
/// <param name="Width">Columns of each channel <c>W</c>, at least 1.</param>
public readonly record struct FeatureShape(int Channels, int Height, int Width)
{
    /// <summary>Features per sample, <c>C·H·W</c>.</summary>
    /// <exception cref="OverflowException">The product does not fit an <see cref="int"/>.</exception>
    public int Size => checked(Channels * Height * Width);

    /// <summary>Whether this is a plain vector, <c>1 x 1 x N</c>.</summary>
    public bool IsFlat => Channels == 1 && Height == 1;

    /// <summary>The shape of a plain vector of <paramref name="size"/> features, <c>1 x 1 x size</c>.</summary>
    /// <param name="size">Features, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not positive.</exception>
    public static FeatureShape Flat(int size)
    {
        ThrowHelper.ThrowIfNotPositive(size, nameof(size));
        return new FeatureShape(1, 1, size);
    }

    /// <summary>Checks that every dimension is positive and the size fits an <see cref="int"/>.</summary>
    /// <param name="paramName">The argument name to report.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive or the size overflows.</exception>
    public void Validate(string paramName)
    {
        if (Channels < 1 || Height < 1 || Width < 1 || (long)Channels * Height * Width > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(paramName, this, $"a feature shape needs positive dimensions whose product fits an int. Received: {this}");
        }
    }

    /// <summary><c>CxHxW</c>, e.g. <c>1x28x28</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Channels}x{Height}x{Width}");
}
