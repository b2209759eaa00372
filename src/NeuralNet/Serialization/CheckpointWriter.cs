using System.Numerics;
using NeuralNet.IO;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>
/// Writes a checkpoint every <see cref="EveryEpochs"/> epochs when given to the trainer as its
/// <see cref="IProgress{T}"/> of <see cref="EpochReport"/>; forwards each report to an inner progress sink.
/// The trainer reports synchronously at the end of an epoch, after its last step, the schedule's
/// <see cref="ILearningRateSchedule.OnEpochEnd"/> and the early-stopping bookkeeping, so the checkpoint holds that
/// epoch's weights, optimiser state, and (when given) schedule state and early-stopping state.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer&lt;float&gt;(options);
/// trainer.Fit(network, x, y, new CheckpointWriter&lt;float&gt;("run.ckpt", network, trainer, everyEpochs: 5));
/// </code>
/// </example>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CheckpointWriter<T> : IProgress<EpochReport> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string _path;
    private readonly Network<T> _network;
    private readonly IOptimizer _optimizer;
    private readonly ModelSaveOptions? _options;
    private readonly IProgress<EpochReport>? _inner;
    private readonly ILearningRateSchedule? _schedule;
    private readonly Trainer<T>? _trainer;

    /// <summary>Creates the writer.</summary>
    /// <param name="path">Checkpoint file, overwritten atomically each time.</param>
    /// <param name="network">The network being trained.</param>
    /// <param name="optimizer">The trainer's optimiser.</param>
    /// <param name="everyEpochs">Write after every this many epochs.</param>
    /// <param name="options">Scaler, labels and metadata to keep with the model.</param>
    /// <param name="inner">Receives every report too.</param>
    /// <param name="schedule">The trainer's learning-rate schedule, saved with each checkpoint; none when null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="everyEpochs"/> is not positive.</exception>
    public CheckpointWriter(string path, Network<T> network, IOptimizer optimizer, int everyEpochs = 1, ModelSaveOptions? options = null, IProgress<EpochReport>? inner = null, ILearningRateSchedule? schedule = null)
    {
        FilePath.ThrowIfNotFile(path, nameof(path));
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ThrowHelper.ThrowIfNotPositive(everyEpochs, nameof(everyEpochs));
        _path = path;
        _network = network;
        _optimizer = optimizer;
        EveryEpochs = everyEpochs;
        _options = options;
        _inner = inner;
        _schedule = schedule;
    }

    /// <summary>Creates a writer that saves everything <paramref name="trainer"/> needs to resume: its optimiser and
    /// learning-rate schedule (from <see cref="Trainer{T}.Options"/>) and its <see cref="Trainer{T}.EarlyStoppingState"/>.</summary>
    /// <param name="path">Checkpoint file, overwritten atomically each time.</param>
    /// <param name="network">The network being trained.</param>
    /// <param name="trainer">The trainer whose <c>Fit</c> receives this writer as its progress sink.</param>
    /// <param name="everyEpochs">Write after every this many epochs.</param>
    /// <param name="options">Scaler, labels and metadata to keep with the model.</param>
    /// <param name="inner">Receives every report too.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="everyEpochs"/> is not positive.</exception>
    public CheckpointWriter(string path, Network<T> network, Trainer<T> trainer, int everyEpochs = 1, ModelSaveOptions? options = null, IProgress<EpochReport>? inner = null)
        : this(path, network, (trainer ?? throw new ArgumentNullException(nameof(trainer))).Options.Optimizer, everyEpochs, options, inner, trainer.Options.Schedule)
    {
        _trainer = trainer;
    }

    /// <summary>Epochs between checkpoints.</summary>
    public int EveryEpochs { get; }

    /// <summary>The epoch of the last checkpoint written, or 0.</summary>
    public int LastCheckpointEpoch { get; private set; }

    /// <summary>Forwards the report and writes a checkpoint when <c>report.Epoch</c> is a multiple of <see cref="EveryEpochs"/>.</summary>
    /// <param name="value">The epoch's report.</param>
    public void Report(EpochReport value)
    {
        _inner?.Report(value);
        if (value.Epoch % EveryEpochs == 0)
        {
            Checkpoint.Save(_path, _network, _optimizer, value.Epoch, _options, _schedule, _trainer?.EarlyStoppingState);
            LastCheckpointEpoch = value.Epoch;
        }
    }
}
