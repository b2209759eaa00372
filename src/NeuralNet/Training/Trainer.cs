using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// Mini-batch back-propagation: each epoch shuffles the row indices, gathers each batch into buffers allocated once
/// per fit, computes the batch-mean loss and gradients (<see cref="Network{T}.ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, int, ILoss)"/>),
/// adds the L2 term, clips, and lets the optimiser step. Full-batch optimisers (iRPROP-, L-BFGS) step once per epoch on
/// the whole training set, L-BFGS with a closure that recomputes loss and gradients for its line search.
/// </summary>
/// <remarks>
/// Determinism: with the same network seed, options and data, the weights after training are bit-identical.
/// Divergence: a non-finite loss or weight raises <see cref="TrainingDivergedException"/> and leaves the network with
/// its last finite weights. Cancellation: checked before every batch, so <c>Fit</c> returns at most one batch after
/// the token is signalled, with the network as the last completed step left it. Memory: each fit copies its training
/// inputs row-major once (<c>rows x inputs</c> values); the trainer keeps that buffer after the fit, and the next fit
/// of this or any other trainer in the process reuses it when it holds that fit's rows and at most twice as many
/// (drop the trainers to free it). A <see cref="TrainerOptions.ValidationFraction"/> split is predicted where its rows
/// lie in x, without a copy.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example>
/// <code>
/// var trainer = new Trainer&lt;double&gt;(new TrainerOptions { Epochs = 20, Optimizer = new Adam(0.01), Loss = Loss.MeanSquaredError });
/// TrainingHistory history = trainer.Fit(network, x, y);
/// </code>
/// </example>
public sealed partial class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _baseRate;

    private readonly IStepPolicy<T>? _step;

    /// <summary>The buffer of this trainer's last fit's row-major copy of the training inputs, given back to
    /// <see cref="StagingBuffers{T}"/> for the next fit of any trainer; held here only to keep it alive while this trainer
    /// is (the pool holds it weakly), never written through this field.</summary>
    private T[]? _lastStaging;

    /// <summary>The loop of the current or latest fit, for <see cref="EarlyStoppingState"/>.</summary>
    private TrainingLoop<T>? _latest;

    /// <summary>Creates a trainer; the options are validated here, once.</summary>
    /// <param name="options">The settings; defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A numeric option is out of range (the parameter name is the option's).</exception>
    /// <exception cref="ArgumentNullException">A required option is null.</exception>
    /// <exception cref="ArgumentException">The early-stopping monitor names neither <c>loss</c>, <c>val_loss</c> nor a
    /// configured metric (with or without the <c>val_</c> prefix).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Trainer(TrainerOptions? options = null)
        : this(options, null)
    {
    }

    /// <summary>Creates a trainer whose weights move through <paramref name="step"/> after each batch instead of the
    /// local optimiser step (see <see cref="IStepPolicy{T}"/>); the options are validated here, once.</summary>
    /// <param name="options">The settings; defaults when null.</param>
    /// <param name="step">The step policy; <see cref="LocalStep{T}"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A numeric option is out of range (the parameter name is the option's).</exception>
    /// <exception cref="ArgumentNullException">A required option is null.</exception>
    /// <exception cref="ArgumentException">The early-stopping monitor names neither <c>loss</c>, <c>val_loss</c> nor a
    /// configured metric (with or without the <c>val_</c> prefix).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Trainer(TrainerOptions? options, IStepPolicy<T>? step)
    {
        _step = step;
        ThrowHelper.ThrowIfUnsupportedType<T>();
        Options = options ?? new TrainerOptions();
        Options.Validate();
        if (Options.EarlyStopping is { } early)
        {
            MonitorHigherIsBetter(Options, MonitorReportName(Options, early.Monitor));
        }

        _baseRate = Options.Optimizer.LearningRate;
    }

    /// <summary>The settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Early stopping's progress after the last epoch completed by the current or latest <c>Fit</c>: a copy
    /// taken when read, with the best weights when <see cref="EarlyStoppingOptions.RestoreBestWeights"/> is on. Null when
    /// early stopping is off or no epoch has completed. It is updated before the epoch is reported to the progress
    /// sink, so a checkpoint written there holds the state after that epoch; pass it back to <c>Fit</c> with
    /// <c>initialEpoch</c> to resume. With several fits at once on one trainer, it follows the one started last.</summary>
    public EarlyStoppingState? EarlyStoppingState => Volatile.Read(ref _latest)?.Early.ToState();

    /// <summary>Trains <paramref name="network"/> on <paramref name="x"/> and <paramref name="y"/> (validation from
    /// <see cref="TrainerOptions.ValidationFraction"/>, if any).</summary>
    /// <param name="network">The network; trained in place.</param>
    /// <param name="x">Inputs <c>[rows x network.InputSize]</c>.</param>
    /// <param name="y">Targets <c>[rows x loss.ExpectedTargetColumns(network.OutputSize)]</c>.</param>
    /// <param name="progress">Receives each epoch's report.</param>
    /// <param name="cancellationToken">Stops training before the next batch.</param>
    /// <returns>The history of the completed epochs.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match the network or the loss; x or y holds NaN or an infinity
    /// (the message names the matrix, row and column); a class label is not an integer in [0, outputs) for sparse
    /// categorical cross-entropy (the message names the row of the data); or early stopping monitors a
    /// <c>val_</c> value without validation data.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">Another fit is training the same network.</exception>
    public TrainingHistory Fit(Network<T> network, Matrix<T> x, Matrix<T> y, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(network, x, y, null, null, progress, null, 0, cancellationToken, null);

    /// <summary>Trains <paramref name="network"/> with an explicit validation set, a per-batch callback, and a starting
    /// epoch (to resume from a checkpoint).</summary>
    /// <param name="network">The network; trained in place.</param>
    /// <param name="x">Training inputs <c>[rows x network.InputSize]</c>.</param>
    /// <param name="y">Training targets.</param>
    /// <param name="validationX">Validation inputs, or null to use <see cref="TrainerOptions.ValidationFraction"/>.</param>
    /// <param name="validationY">Validation targets (null exactly when <paramref name="validationX"/> is).</param>
    /// <param name="progress">Receives each epoch's report, after the schedule's <see cref="Schedules.ILearningRateSchedule.OnEpochEnd"/>
    /// and the early-stopping bookkeeping (<see cref="EarlyStoppingState"/>) for that epoch.</param>
    /// <param name="onBatch">Called after every batch (synchronously, on the training thread).</param>
    /// <param name="initialEpoch">Epochs already done. 0 starts afresh (resets the optimiser and schedule state); a
    /// positive value resumes: the optimiser and schedule keep their (possibly imported) state, the shuffles of the epochs already
    /// done are replayed, and training runs epochs <c>initialEpoch + 1</c> to <see cref="TrainerOptions.Epochs"/>.</param>
    /// <param name="cancellationToken">Stops training before the next batch.</param>
    /// <param name="earlyStopping">When resuming (<paramref name="initialEpoch"/> positive) with early stopping on: its
    /// progress after epoch <paramref name="initialEpoch"/> (from <see cref="EarlyStoppingState"/> or a checkpoint), so
    /// the best epoch, the epochs waited and the best weights carry on. Null counts afresh from the first epoch run.</param>
    /// <returns>The history of the epochs run by this call (its <see cref="TrainingHistory.BestEpoch"/> may be an
    /// epoch before them when <paramref name="earlyStopping"/> is given).</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match; a matrix holds NaN or an infinity, or a class label is out
    /// of range (naming the matrix and the row of the data); only one of the validation matrices is given; or early
    /// stopping monitors a <c>val_</c> value without validation data.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialEpoch"/> is negative or not below the epoch count.</exception>
    /// <exception cref="ArgumentException"><paramref name="earlyStopping"/> is given but early stopping is off,
    /// <paramref name="initialEpoch"/> is 0, its best epoch plus its epochs waited pass <paramref name="initialEpoch"/>, or its best weights
    /// are missing (with <see cref="EarlyStoppingOptions.RestoreBestWeights"/>) or do not fit the network.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">Another fit is training the same network.</exception>
    public TrainingHistory Fit(
        Network<T> network,
        Matrix<T> x,
        Matrix<T> y,
        Matrix<T>? validationX,
        Matrix<T>? validationY,
        IProgress<EpochReport>? progress = null,
        Action<BatchReport>? onBatch = null,
        int initialEpoch = 0,
        CancellationToken cancellationToken = default,
        EarlyStoppingState? earlyStopping = null)
    {
        TrainingLoop<T> loop = CreateLoop(network, x, y, validationX, validationY, initialEpoch, earlyStopping, null);
        ValueTask<TrainingHistory> run = loop.RunAsync(progress, onBatch, initialEpoch, earlyStopping, cancellationToken);
        return run.IsCompletedSuccessfully ? run.Result : run.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The asynchronous form of <see cref="Fit(Network{T}, Matrix{T}, Matrix{T}, Matrix{T}?, Matrix{T}?, IProgress{EpochReport}?, Action{BatchReport}?, int, CancellationToken, EarlyStoppingState?)"/>,
    /// for step policies that wait on other machines; same arguments, results and exceptions.</summary>
    /// <param name="network">The network; trained in place.</param>
    /// <param name="x">Training inputs <c>[rows x network.InputSize]</c>.</param>
    /// <param name="y">Training targets.</param>
    /// <param name="validationX">Validation inputs, or null to use <see cref="TrainerOptions.ValidationFraction"/>.</param>
    /// <param name="validationY">Validation targets (null exactly when <paramref name="validationX"/> is).</param>
    /// <param name="progress">Receives each epoch's report.</param>
    /// <param name="onBatch">Called after every batch.</param>
    /// <param name="initialEpoch">Epochs already done (0 starts afresh).</param>
    /// <param name="cancellationToken">Stops training before the next batch.</param>
    /// <param name="earlyStopping">Early-stopping progress to resume from, or null.</param>
    /// <returns>The history of the epochs run by this call.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match, a matrix holds NaN, an infinity or an out-of-range class
    /// label, or the validation or early-stopping arguments are inconsistent.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialEpoch"/> is out of range.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">Another fit is training the same network.</exception>
    public ValueTask<TrainingHistory> FitAsync(
        Network<T> network,
        Matrix<T> x,
        Matrix<T> y,
        Matrix<T>? validationX = null,
        Matrix<T>? validationY = null,
        IProgress<EpochReport>? progress = null,
        Action<BatchReport>? onBatch = null,
        int initialEpoch = 0,
        CancellationToken cancellationToken = default,
        EarlyStoppingState? earlyStopping = null)
    {
        TrainingLoop<T> loop = CreateLoop(network, x, y, validationX, validationY, initialEpoch, earlyStopping, null);
        return loop.RunAsync(progress, onBatch, initialEpoch, earlyStopping, cancellationToken);
    }

    /// <summary>Checks the arguments of a fit, splits off the validation rows, and builds its loop.</summary>
    private TrainingLoop<T> CreateLoop(Network<T> network, Matrix<T> x, Matrix<T> y, Matrix<T>? validationX, Matrix<T>? validationY, int initialEpoch, EarlyStoppingState? earlyStopping, double[]? sampleWeights)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        // The training rows' finiteness is checked by the loop's row-major copy of them, below.
        int total = x.RowCount, trainRows = total;
        bool split = validationX is null && Options.ValidationFraction > 0;
        if (split)
        {
            trainRows = total - (int)Math.Ceiling(total * Options.ValidationFraction);
        }

        CheckData(Options, network, x, y, nameof(x), nameof(y), stagedRows: Math.Max(0, trainRows));
        CheckValidation(Options, network, validationX, validationY);
        if (initialEpoch < 0 || initialEpoch >= Options.Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(initialEpoch), initialEpoch, $"initialEpoch must be in [0, Epochs = {Options.Epochs}). Received: initialEpoch={initialEpoch}");
        }

        if (earlyStopping is not null)
        {
            CheckEarlyStopping(network, earlyStopping, initialEpoch);
        }

        // The split's inputs stay in x (predicted from there, rows [trainRows, total) and [0, trainRows)), not copied:
        // a copy of the training rows for the metrics was 169 MB of fresh memory per fit of 60,000 x 784 floats. The
        // targets are copied (a few columns).
        Matrix<T> trainY = y;
        int validationFirst = 0;
        if (split)
        {
            int held = total - trainRows;
            if (trainRows < 1)
            {
                throw new ArgumentException($"ValidationFraction {Options.ValidationFraction} leaves no training rows out of {total}.", nameof(x));
            }

            validationX = x;
            validationFirst = trainRows;
            validationY = y.SubMatrix(trainRows, held, 0, y.ColumnCount);
            if (Options.Metrics.Count > 0)
            {
                trainY = y.SubMatrix(0, trainRows, 0, y.ColumnCount);
            }
        }

        T[]? rowWeights = RowWeights.Combine(Options, network, y, trainRows, sampleWeights);
        T[]? staging = StagingBuffers<T>.Take(BatchGatherer<T>.StagingLength(trainRows, x.ColumnCount));
        var loop = new TrainingLoop<T>((network, Options), x, y, trainRows, trainY, (validationX, validationFirst), validationY, null, _step, _baseRate, rowWeights, staging);
        if (!loop.StagedFinite)
        {
            ReturnStaging(loop.Staging);
            ThrowHelper.ThrowIfNotFinite(x, nameof(x));
        }

        loop.Owner = this;
        Volatile.Write(ref _latest, loop);
        return loop;
    }

    /// <summary>The loss and <see cref="TrainerOptions.Metrics"/> of <paramref name="network"/> on data, in inference
    /// mode.</summary>
    /// <param name="network">The network.</param>
    /// <param name="x">Inputs <c>[rows x network.InputSize]</c>.</param>
    /// <param name="y">Targets.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match, or x or y holds NaN, an infinity or an out-of-range class label.</exception>
    public EvaluationResult Evaluate(Network<T> network, Matrix<T> x, Matrix<T> y)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckData(Options, network, x, y, nameof(x), nameof(y));
        Matrix<T> prediction = network.Predict(x);
        double loss = double.CreateTruncating(Options.Loss.Compute<T>(ThrowHelper.ColumnMajor(prediction), ThrowHelper.ColumnMajor(y), x.RowCount));
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (IMetric metric in Options.Metrics)
        {
            metrics[metric.Name] = metric.Compute(prediction, y);
        }

        return new EvaluationResult(loss, metrics);
    }

    /// <summary>Trains <paramref name="network"/> and calls <paramref name="onEpoch"/> synchronously on the training
    /// thread after every epoch, before the next one starts: in order, and never after <c>Fit</c> returns (unlike
    /// <see cref="Progress{T}"/>, which posts its handler to the thread pool in a console app).</summary>
    /// <param name="network">The network; trained in place.</param>
    /// <param name="x">Inputs <c>[rows x network.InputSize]</c>.</param>
    /// <param name="y">Targets <c>[rows x loss.ExpectedTargetColumns(network.OutputSize)]</c>.</param>
    /// <param name="onEpoch">Receives each epoch's report, after the schedule and early stopping have seen it.</param>
    /// <param name="cancellationToken">Stops training before the next batch.</param>
    /// <returns>The history of the completed epochs.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match the network or the loss, the loss does not suit the
    /// last layer's activation, or early stopping monitors a <c>val_</c> value without validation data.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    public TrainingHistory Fit(Network<T> network, Matrix<T> x, Matrix<T> y, Action<EpochReport> onEpoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEpoch);
        return Fit(network, x, y, null, null, new EpochCallback(onEpoch), null, 0, cancellationToken, null);
    }

    /// <summary>Trains with a weight per row (Keras' and scikit-learn's <c>sample_weight</c>): each batch minimises
    /// <c>L = 1/B · Σ_b w_b ℓ_b</c> (Keras' reduction: the weighted sum over the batch size, so weights with mean 1 keep the
    /// loss on the unweighted scale), multiplied by <see cref="TrainerOptions.ClassWeights"/> when set. Validation loss
    /// and metrics stay unweighted.</summary>
    /// <param name="network">The network; trained in place.</param>
    /// <param name="x">Inputs <c>[rows x network.InputSize]</c>.</param>
    /// <param name="y">Targets.</param>
    /// <param name="sampleWeights">One finite, non-negative weight per row of <paramref name="x"/>, not all 0 (with
    /// <see cref="TrainerOptions.ValidationFraction"/>, the weights of the held-out rows are unused).</param>
    /// <param name="onEpoch">Called synchronously after every epoch, or null.</param>
    /// <param name="cancellationToken">Stops training before the next batch.</param>
    /// <returns>The history of the completed epochs.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match, the loss does not suit the last layer, or the weights
    /// have the wrong length, a negative or non-finite value, or are all 0.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    public TrainingHistory Fit(Network<T> network, Matrix<T> x, Matrix<T> y, double[] sampleWeights, Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sampleWeights);
        TrainingLoop<T> loop = CreateLoop(network, x, y, null, null, 0, null, sampleWeights);
        ValueTask<TrainingHistory> run = loop.RunAsync(onEpoch is null ? null : new EpochCallback(onEpoch), null, 0, null, cancellationToken);
        return run.IsCompletedSuccessfully ? run.Result : run.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Trains on a <see cref="Data.Dataset{T}"/>, validating on <paramref name="validation"/> when given (else
    /// on <see cref="TrainerOptions.ValidationFraction"/> of the training rows).</summary>
    /// <param name="network">The network; trained in place.</param>
    /// <param name="training">The training set: its features are x, its targets y.</param>
    /// <param name="validation">The validation set, or null.</param>
    /// <param name="onEpoch">Called synchronously after every epoch, or null.</param>
    /// <param name="cancellationToken">Stops training before the next batch.</param>
    /// <returns>The history of the completed epochs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="training"/> is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match the network or the loss, or the loss does not suit the
    /// last layer's activation.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    public TrainingHistory Fit(Network<T> network, Data.Dataset<T> training, Data.Dataset<T>? validation = null, Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        return Fit(network, training.Features, training.Targets, validation?.Features, validation?.Targets,
            onEpoch is null ? null : new EpochCallback(onEpoch), null, 0, cancellationToken, null);
    }

    /// <summary>The loss and <see cref="TrainerOptions.Metrics"/> of <paramref name="network"/> on a
    /// <see cref="Data.Dataset{T}"/>, in inference mode.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data: features and targets.</param>
    /// <returns>The loss and each metric by name.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match.</exception>
    public EvaluationResult Evaluate(Network<T> network, Data.Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(network, data.Features, data.Targets);
    }

    /// <summary>Gives the staging buffer of a finished fit back to <see cref="StagingBuffers{T}"/>, and keeps it alive
    /// while this trainer lives.</summary>
    internal void ReturnStaging(T[] staging)
    {
        StagingBuffers<T>.Return(staging);
        Volatile.Write(ref _lastStaging, staging);
    }

    /// <summary>The staging buffer this trainer last gave back (tests).</summary>
    internal T[]? LastStaging => Volatile.Read(ref _lastStaging);

    /// <summary>Runs a callback on the reporting thread itself: an <see cref="IProgress{T}"/> without a synchronisation context.</summary>
    private sealed class EpochCallback(Action<EpochReport> onEpoch) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => onEpoch(value);
    }
}
