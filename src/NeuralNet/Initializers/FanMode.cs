namespace NeuralNet.Initializers;

/// <summary>Which fan of a layer divides the variance in <see cref="VarianceScaling"/>.</summary>
public enum FanMode
{
    /// <summary>The number of inputs (He, LeCun).</summary>
    FanIn,

    /// <summary>The number of outputs.</summary>
    FanOut,

    /// <summary>The mean of inputs and outputs (Glorot).</summary>
    FanAverage,
}
