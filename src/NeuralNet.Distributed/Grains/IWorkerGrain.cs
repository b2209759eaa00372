using NeuralNet.Distributed.Messages;

namespace NeuralNet.Distributed.Grains;

/// <summary>
/// A training worker, placed on the silo whose name is its key (one worker per silo, so a worker dies with its
/// silo and the driver gives its share to the others). It loads the job's rows itself, computes the gradient of its
/// part of each batch with the core network, pushes it to the shards and pulls the new parameters.
/// </summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Loads a job: builds the network from the model file and loads the training rows from the named source.</summary>
    /// <param name="job">The job.</param>
    /// <exception cref="ArgumentException">The data source is not registered on this silo, or the rows do not fit the network.</exception>
    Task<WorkerReady> PrepareAsync(WorkerJob job);

    /// <summary>Computes and pushes one step's gradient.</summary>
    /// <param name="step">The work.</param>
    /// <exception cref="InvalidOperationException">The job was not prepared on this worker, or a shard is at an unexpected version.</exception>
    Task<WorkerStepResult> StepAsync(WorkerStep step);

    /// <summary>Metrics of the worker's network (at its current parameters) on all training rows, in inference mode.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="metrics">Names accepted by <c>Metric.FromName</c>.</param>
    Task<Dictionary<string, double>> EvaluateAsync(string jobId, string[] metrics);

    /// <summary>The worker network's buffers (batch norm's running statistics), raw elements of the job's precision,
    /// in the flat layout's buffer order; empty when the network has none.</summary>
    /// <param name="jobId">The job.</param>
    Task<byte[]> GetBuffersAsync(string jobId);

    /// <summary>Where the worker runs.</summary>
    Task<HostInfo> GetHostAsync();
}
