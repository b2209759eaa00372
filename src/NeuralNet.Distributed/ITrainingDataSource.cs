using System.Numerics;

namespace NeuralNet.Distributed;

/// <summary>
/// Loads a job's training rows on a worker silo. Every worker of a job calls it with the same argument and must get
/// the same rows in the same order (synchronous mode splits each global batch by row position).
/// </summary>
/// <remarks>Register sources with <see cref="DistributedSiloOptions.AddDataSource"/>; a job names one through
/// <see cref="DistributedTrainerOptions.Data"/>.</remarks>
public interface ITrainingDataSource
{
    /// <summary>The name a job uses in <see cref="DataSourceReference.Name"/>.</summary>
    string Name { get; }

    /// <summary>Loads the training rows.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the job's precision.</typeparam>
    /// <param name="argument">The job's <see cref="DataSourceReference.Argument"/>.</param>
    /// <returns>Inputs <c>[rows x inputs]</c> and targets <c>[rows x targets]</c> as the job's loss expects them.</returns>
    TrainingData<T> Load<T>(string? argument) where T : unmanaged, IFloatingPointIeee754<T>;
}
