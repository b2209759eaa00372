using Microsoft.Extensions.Options;
using NeuralNet.Distributed.Internal;
using NeuralNet.Distributed.Messages;
using NeuralNet.Distributed.Placement;

namespace NeuralNet.Distributed.Grains;

/// <summary>The training worker (see <see cref="IWorkerGrain"/>): placed by <see cref="SiloNamePlacement"/>, so the key names its silo.</summary>
[SiloNamePlacement]
internal sealed class WorkerGrain(IOptions<DistributedSiloOptions> options, IGrainFactory grains) : Grain, IWorkerGrain
{
    private IWorkerCore? _core;

    public Task<WorkerReady> PrepareAsync(WorkerJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_core is not null && _core.JobId == job.JobId)
        {
            return Task.FromResult(_core.Ready);
        }

        if (!options.Value.DataSources.TryGetValue(job.Data.Name, out ITrainingDataSource? source))
        {
            string known = string.Join(", ", options.Value.DataSources.Keys.Order(StringComparer.Ordinal));
            throw new ArgumentException($"No data source named '{job.Data.Name}' is registered on silo '{this.GetPrimaryKeyString()}' (registered: {(known.Length == 0 ? "none" : known)}).", nameof(job));
        }

        _core = null; // a new job replaces the old one only once it has loaded
        _core = job.Precision switch
        {
            Precision.Single => new WorkerCore<float>(job, source, grains, this.GetPrimaryKeyString()),
            Precision.Double => new WorkerCore<double>(job, source, grains, this.GetPrimaryKeyString()),
            _ => throw new ArgumentException($"Unknown precision {job.Precision}.", nameof(job)),
        };
        return Task.FromResult(_core.Ready);
    }

    public Task<WorkerStepResult> StepAsync(WorkerStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Core(step.JobId).StepAsync(step);
    }

    public Task<Dictionary<string, double>> EvaluateAsync(string jobId, string[] metrics) =>
        Task.FromResult(Core(jobId).Evaluate(metrics ?? []));

    public Task<byte[]> GetBuffersAsync(string jobId) => Task.FromResult(Core(jobId).CopyBuffers());

    public Task<HostInfo> GetHostAsync() => Task.FromResult(Hosting.HostInfoFactory.Create(this.GetPrimaryKeyString()));

    private IWorkerCore Core(string jobId) =>
        _core is not null && _core.JobId == jobId
            ? _core
            : throw new InvalidOperationException($"Worker '{this.GetPrimaryKeyString()}' has not prepared job '{jobId}'.");
}
