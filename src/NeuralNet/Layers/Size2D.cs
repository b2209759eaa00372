using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// A height and a width: a kernel size, a stride or a dilation of a 2-D window layer. An <see cref="int"/> converts to
/// the square <c>n x n</c> and a tuple <c>(height, width)</c> to the rectangle, so <c>kernel: 3</c> and
/// <c>kernel: (3, 5)</c> both read naturally.
/// </summary>
/// <param name="Height">Rows (along the image height).</param>
/// <param name="Width">Columns (along the image width).</param>
public readonly record struct Size2D(int Height, int Width)
{
    /// <summary>The square <c>size x size</c>.</summary>
    /// <param name="size">Height and width.</param>
    public static implicit operator Size2D(int size) => new(size, size);

    /// <summary>The rectangle <c>height x width</c>.</summary>
    /// <param name="size">Height and width.</param>
    public static implicit operator Size2D((int Height, int Width) size) => new(size.Height, size.Width);

    /// <summary>Checks that both sides are positive.</summary>
    /// <param name="paramName">The argument name to report.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive.</exception>
    public void Validate(string paramName)
    {
        if (Height < 1 || Width < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, this, $"{paramName} must have a positive height and width. Received: {paramName}={this}");
        }
    }

    /// <summary><c>HxW</c>, e.g. <c>3x3</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Height}x{Width}");
}
