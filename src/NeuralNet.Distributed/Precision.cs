namespace NeuralNet.Distributed;

/// <summary>The element type of a job's parameters and gradients on the wire and on the server.</summary>
public enum Precision
{
    /// <summary>32-bit <see cref="float"/>.</summary>
    Single = 4,

    /// <summary>64-bit <see cref="double"/>.</summary>
    Double = 8,
}
