namespace NeuralNet.Distributed;

/// <summary>Names the training data of a job: the workers look <see cref="Name"/> up among the
/// <see cref="ITrainingDataSource"/>s registered on their silo and call it with <see cref="Argument"/> (a path, a
/// split name, a seed). Training rows never cross the wire; only this reference does.</summary>
/// <param name="Name">The registered source's <see cref="ITrainingDataSource.Name"/>.</param>
/// <param name="Argument">Passed to <see cref="ITrainingDataSource.Load{T}"/>; its meaning is the source's.</param>
[GenerateSerializer, Immutable]
public sealed record DataSourceReference([property: Id(0)] string Name, [property: Id(1)] string? Argument = null);
