namespace NeuralNet.Distributed;

/// <summary>What a silo offers to distributed training jobs: the training data sources its workers can load.</summary>
public sealed class DistributedSiloOptions
{
    private readonly Dictionary<string, ITrainingDataSource> _sources = new(StringComparer.Ordinal);

    /// <summary>The registered sources by name.</summary>
    public IReadOnlyDictionary<string, ITrainingDataSource> DataSources => _sources;

    /// <summary>Registers a data source; jobs name it in <see cref="DataSourceReference.Name"/>.</summary>
    /// <param name="source">The source.</param>
    /// <returns>This instance, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A source with the same name is already registered, or the name is empty.</exception>
    public DistributedSiloOptions AddDataSource(ITrainingDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(source.Name))
        {
            throw new ArgumentException("A data source needs a non-empty Name.", nameof(source));
        }

        if (!_sources.TryAdd(source.Name, source))
        {
            throw new ArgumentException($"A data source named '{source.Name}' is already registered.", nameof(source));
        }

        return this;
    }
}
