namespace NeuralNet.Distributed;

/// <summary>How the parameter server combines the workers' gradients.</summary>
public enum ParameterServerMode
{
    /// <summary>Each global batch is split across the workers; the server waits for every live worker's part of a step
    /// (a barrier with a timeout), sums the parts in worker order and applies one optimiser step. Without faults this
    /// equals single-node training up to summation order, and runs are bit-reproducible.</summary>
    Synchronous = 0,

    /// <summary>Each worker trains on its own part of the rows and pushes whenever its gradient is ready; a gradient
    /// computed on version <c>v</c> is applied only while the server is at most
    /// <see cref="DistributedTrainerOptions.Staleness"/> versions ahead (bounded delay, Li et al., OSDI 2014).</summary>
    Asynchronous = 1,
}
