using NeuralNet.Distributed.Messages;

namespace NeuralNet.Distributed.Internal;

/// <summary>The element-type-specific part of a worker.</summary>
internal interface IWorkerCore
{
    string JobId { get; }

    WorkerReady Ready { get; }

    Task<WorkerStepResult> StepAsync(WorkerStep step);

    Dictionary<string, double> Evaluate(string[] metrics);

    byte[] CopyBuffers();
}
