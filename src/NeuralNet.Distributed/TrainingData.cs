using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Distributed;

/// <summary>Training rows as an <see cref="ITrainingDataSource"/> returns them.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="X">Inputs <c>[rows x inputs]</c>.</param>
/// <param name="Y">Targets <c>[rows x targets]</c>.</param>
public sealed record TrainingData<T>(Matrix<T> X, Matrix<T> Y) where T : unmanaged, IFloatingPointIeee754<T>;
