using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Fills a weight matrix of <c>fanIn x fanOut</c> with initial values drawn from a seeded source.</summary>
public interface IInitializer
{
    /// <summary>Canonical name; <see cref="Initializer.FromName"/> parses it back.</summary>
    string Name { get; }

    /// <summary>Fills <paramref name="weights"/> (length <c>fanIn * fanOut</c>).</summary>
    /// <param name="weights">Destination.</param>
    /// <param name="fanIn">Inputs of the layer.</param>
    /// <param name="fanOut">Outputs of the layer.</param>
    /// <param name="random">The seeded source to draw from.</param>
    void Initialize<T>(Span<T> weights, int fanIn, int fanOut, RandomSource random) where T : unmanaged, IFloatingPointIeee754<T>;
}
