using System.Diagnostics;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// The epoch loop every engine shares: for each epoch the <see cref="IBatchSampler"/> picks the batches; each batch is
/// gathered into buffers allocated once, its loss and gradients computed (<see cref="BatchObjective{T}"/>), and the
/// <see cref="IStepPolicy{T}"/> moves the weights; at the end of the epoch come the metrics, validation, the schedule,
/// early stopping and the report. <see cref="Trainer{T}.Fit(Network{T}, Matrix{T}, Matrix{T}, IProgress{EpochReport}?, CancellationToken)"/>
/// runs one with the defaults (<see cref="ShuffledBatchSampler"/>, <see cref="LocalStep{T}"/>).
/// </summary>
/// <remarks>
/// Determinism: with the same network, options, data, sampler and step, the weights after training are bit-identical.
/// Divergence: a non-finite loss, or a step that leaves a weight non-finite, raises <see cref="TrainingDivergedException"/>
/// with the network at its last finite weights. Cancellation: checked before every batch. A loop runs one fit at a time.
/// Concurrency: other threads may call <see cref="Network{T}.Predict(Matrix{T})"/> on the network while it trains; each
/// prediction runs wholly between two steps and sees one complete weight state. A second fit of the same network while
/// one runs raises <see cref="InvalidOperationException"/>.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class TrainingLoop<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainerOptions _options;
    private readonly Network<T> _network;
    private readonly double _baseRate;
    private readonly T[] _x;
    private readonly int _totalRows, _trainRows, _inputs, _targets;
    private readonly Matrix<T> _trainY;

    /// <summary>The validation inputs, column-major: rows <see cref="_validationFirst"/> to
    /// <see cref="_validationLd"/> of this array (<see cref="_x"/> itself for a <see cref="TrainerOptions.ValidationFraction"/>
    /// split), or null.</summary>
    private readonly T[]? _validationX;
    private readonly int _validationLd, _validationFirst;
    private readonly Matrix<T>? _validationY;
    private readonly IBatchSampler _sampler;
    private readonly IStepPolicy<T> _step;
    private readonly BatchGatherer<T> _gatherer;
    private readonly BatchObjective<T> _objective;
    private readonly StepContext<T> _context;
    private readonly T[] _snapshot;
    private readonly Optimizer? _guarded;
    private double _maxValue = double.NaN;
    private Trainer<T>? _owner;
    private readonly bool _higherIsBetter;
    private readonly EarlyStoppingOptions? _early;
    private int _rows;
    private int[] _rowIndices = [];
    private HealthMonitor<T>? _health;

    /// <summary>Creates a loop that trains <paramref name="network"/> on every row of <paramref name="x"/>.</summary>
    /// <param name="network">The network; trained in place.</param>
    /// <param name="options">The settings (validated here).</param>
    /// <param name="x">Training inputs <c>[rows x network.InputSize]</c>.</param>
    /// <param name="y">Training targets <c>[rows x loss.ExpectedTargetColumns(network.OutputSize)]</c>.</param>
    /// <param name="validationX">Validation inputs, or null.</param>
    /// <param name="validationY">Validation targets (null exactly when <paramref name="validationX"/> is).</param>
    /// <param name="sampler">Chooses each epoch's batches; a <see cref="ShuffledBatchSampler"/> over the rows with
    /// <see cref="TrainerOptions.BatchSize"/>, <see cref="TrainerOptions.Seed"/> and <see cref="TrainerOptions.Shuffle"/>
    /// when null. Its batches may hold at most <see cref="TrainerOptions.BatchSize"/> rows.</param>
    /// <param name="step">Moves the weights after each batch; <see cref="LocalStep{T}"/> when null.</param>
    /// <param name="sampleWeights">A weight per row of x (Keras' <c>sample_weight</c>), finite and non-negative, or null:
    /// each batch minimises <c>1/B · Σ_b w_b ℓ_b</c>, with <see cref="TrainerOptions.ClassWeights"/> multiplied in.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match the network or the loss, a matrix holds NaN, an infinity or
    /// an out-of-range class label (naming the matrix and the row of the data), only one validation matrix is given, the
    /// loss does not suit the last layer's activation, or the weights do not fit the data.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public TrainingLoop(Network<T> network, TrainerOptions options, Matrix<T> x, Matrix<T> y, Matrix<T>? validationX = null, Matrix<T>? validationY = null, IBatchSampler? sampler = null, IStepPolicy<T>? step = null, double[]? sampleWeights = null)
        : this(Checked(network, options, x, y, validationX, validationY), x, y, x.RowCount, y, (validationX, 0), validationY, sampler, step, options.Optimizer.LearningRate,
            RowWeights.Combine(options, network, y, x.RowCount, sampleWeights), null)
    {
    }

    /// <summary>The trainer's constructor: the first <paramref name="trainRows"/> rows of x and y train (the rest, if
    /// any, are the validation split), <paramref name="trainY"/> holds those rows of y for the metrics; the validation
    /// inputs are rows <c>First</c> and on of <paramref name="validation"/>'s matrix (x itself for a split);
    /// <paramref name="staging"/>, when not null, is reused for the row-major copy of the training inputs.</summary>
    internal TrainingLoop((Network<T> Network, TrainerOptions Options) target, Matrix<T> x, Matrix<T> y, int trainRows, Matrix<T> trainY, (Matrix<T>? X, int First) validation, Matrix<T>? validationY, IBatchSampler? sampler, IStepPolicy<T>? step, double baseRate, T[]? rowWeights, T[]? staging)
    {
        (_network, _options) = target;
        _baseRate = baseRate;
        _x = ThrowHelper.ColumnMajor(x);
        _totalRows = x.RowCount;
        _trainRows = trainRows;
        _inputs = x.ColumnCount;
        _targets = y.ColumnCount;
        _trainY = trainY;
        if (validation.X is { } validationX)
        {
            _validationX = ReferenceEquals(validationX, x) ? _x : ThrowHelper.ColumnMajor(validationX);
            _validationLd = validationX.RowCount;
            _validationFirst = validation.First;
        }

        _validationY = validationY;
        bool fullBatch = _options.Optimizer.RequiresFullBatch;
        int batchSize = fullBatch ? trainRows : Math.Min(_options.BatchSize, trainRows);
        _sampler = sampler ?? new ShuffledBatchSampler(trainRows, batchSize, _options.Seed, _options.Shuffle && !fullBatch);
        _step = step ?? LocalStep<T>.Instance;
        _gatherer = new BatchGatherer<T>(_x, ThrowHelper.ColumnMajor(y), _totalRows, trainRows, _inputs, _targets, batchSize, rowWeights, staging);
        _guarded = _step is LocalStep<T> && !fullBatch ? _options.Optimizer as Optimizer : null;
        _objective = new BatchObjective<T>(_network, _options.Loss, _options.L2);
        _context = new StepContext<T>(_network, _options, _sampler.BatchCount, fullBatch ? Evaluate : null);
        _snapshot = new T[_network.ParameterSet.StateLength];
        // The monitor as the reports spell it ("R2" and "val_R2" read "r2" and "val_r2").
        _early = _options.EarlyStopping is { } early ? early with { Monitor = Trainer<T>.MonitorReportName(_options, early.Monitor) } : null;
        _higherIsBetter = _early is not null && Trainer<T>.MonitorHigherIsBetter(_options, _early.Monitor);
        Early = new EarlyStoppingTracker<T>(_early, _higherIsBetter, _snapshot.Length);
    }

    /// <summary>The network being trained.</summary>
    public Network<T> Network => _network;

    /// <summary>False when the row-major copy of the training rows met NaN or an infinity (<see cref="BatchGatherer{T}.StagedFinite"/>).</summary>
    internal bool StagedFinite => _gatherer.StagedFinite;

    /// <summary>The buffer of the row-major copy of the training rows.</summary>
    internal T[] Staging => _gatherer.Staging;

    /// <summary>The trainer that lent the staging buffer; it gets the buffer back when the run ends.</summary>
    internal Trainer<T>? Owner
    {
        set => _owner = value;
    }

    /// <summary>Early stopping's progress, readable between epochs.</summary>
    internal EarlyStoppingTracker<T> Early { get; private set; }

    /// <summary>Runs epochs <paramref name="initialEpoch"/> + 1 to <see cref="TrainerOptions.Epochs"/>.</summary>
    /// <param name="progress">Receives each epoch's report, after the schedule and early stopping have seen it.</param>
    /// <param name="onBatch">Called after every batch, on the training thread.</param>
    /// <param name="initialEpoch">Epochs already done; 0 resets the optimiser and the schedule, a positive value
    /// resumes with their current state.</param>
    /// <param name="earlyStopping">When resuming with early stopping on: its progress after <paramref name="initialEpoch"/>.</param>
    /// <param name="cancellationToken">Stops training before the next batch.</param>
    /// <returns>The history of the epochs run.</returns>
    /// <exception cref="ArgumentException">Early stopping monitors a <c>val_</c> value without validation data.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialEpoch"/> is negative or not below the epoch count.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">Another fit is training the same network.</exception>
    public async ValueTask<TrainingHistory> RunAsync(IProgress<EpochReport>? progress = null, Action<BatchReport>? onBatch = null, int initialEpoch = 0, EarlyStoppingState? earlyStopping = null, CancellationToken cancellationToken = default)
    {
        var history = Begin(initialEpoch, earlyStopping);
        WeightGate gate = _network.Gate;
        gate.BeginTraining();
        try
        {
            return await RunEpochsAsync(history, progress, onBatch, initialEpoch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.EndTraining();
            Interlocked.Exchange(ref _owner, null)?.ReturnStaging(_gatherer.Staging);
        }
    }

    /// <summary>The epochs of <see cref="RunAsync"/>. Each batch, from its forward pass to the end of its step, holds the
    /// network's <see cref="WeightGate"/>, so predictions on other threads see the weights before or after a step,
    /// never half-way; the callbacks run outside it.</summary>
    private async ValueTask<TrainingHistory> RunEpochsAsync(TrainingHistory history, IProgress<EpochReport>? progress, Action<BatchReport>? onBatch, int initialEpoch, CancellationToken cancellationToken)
    {
        WeightGate gate = _network.Gate;
        int batches = _sampler.BatchCount;
        for (int epoch = initialEpoch; epoch < _options.Epochs; epoch++)
        {
            // The weights may have changed outside the loop (early stopping's restore, the progress sink).
            _maxValue = double.NaN;
            long started = Stopwatch.GetTimestamp();
            _sampler.BeginEpoch(epoch);
            double lossSum = 0, rate = _options.Optimizer.LearningRate;
            long rowsSeen = 0;
            for (int b = 0; b < batches; b++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    history.StopReason = StopReason.Cancelled;
                    return history;
                }

                double lossValue;
                gate.EnterWrite();
                try
                {
                    lossValue = PrepareStep(epoch, b, batches, out rate);
                    if (_guarded is not null)
                    {
                        GuardedStep(epoch, b, batches, lossValue, rate);
                    }
                    else
                    {
                        _network.ParameterSet.CopyStateTo(_snapshot);
                        await _step.StepAsync(_context, cancellationToken).ConfigureAwait(false);
                        ThrowIfNotFinite(epoch, b, lossValue, rate);
                    }
                }
                finally
                {
                    gate.ExitWrite();
                }

                lossSum += lossValue * _rows;
                rowsSeen += _rows;
                history.BatchesCompleted++;
                if (onBatch is not null)
                {
                    onBatch(new BatchReport(epoch + 1, b + 1, batches, _rows, lossValue, rate));
                    _maxValue = double.NaN;
                }
            }

            if (EndEpoch(history, epoch, rowsSeen > 0 ? lossSum / rowsSeen : 0, rate, started, progress))
            {
                break;
            }
        }

        gate.EnterWrite();
        try
        {
            Early.RestoreBest(_network, history);
        }
        finally
        {
            gate.ExitWrite();
        }

        return history;
    }

    private TrainingHistory Begin(int initialEpoch, EarlyStoppingState? earlyStopping)
    {
        _maxValue = double.NaN;
        if (initialEpoch < 0 || initialEpoch >= _options.Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(initialEpoch), initialEpoch, $"initialEpoch must be in [0, Epochs = {_options.Epochs}). Received: initialEpoch={initialEpoch}");
        }

        EarlyStoppingOptions? early = _early;
        if (early is not null && early.Monitor.StartsWith("val_", StringComparison.Ordinal) && _validationX is null)
        {
            throw new ArgumentException($"EarlyStopping.Monitor is '{early.Monitor}' but there is no validation data; pass validationX and validationY, set ValidationFraction, or monitor a training value.", "validationX");
        }

        var history = new TrainingHistory { StopReason = StopReason.Completed };
        Early = new EarlyStoppingTracker<T>(early, _higherIsBetter, _snapshot.Length);
        if (early is not null && earlyStopping is not null)
        {
            Early.Resume(earlyStopping, history);
        }

        _health = _options.HealthMonitor ? new HealthMonitor<T>(_network, _x, _totalRows, _trainRows) : null;
        if (initialEpoch == 0)
        {
            _options.Optimizer.Reset();
            _options.Schedule.Reset();
        }

        return history;
    }

    /// <summary>Gathers batch <paramref name="b"/>, sets the learning rate, computes loss and gradients, fills the step
    /// context; returns the batch loss.</summary>
    private double PrepareStep(int epoch, int b, int batches, out double rate)
    {
        ReadOnlySpan<int> indices = _sampler.GetBatch(b);
        _rows = indices.Length;
        _gatherer.Gather(indices);
        rate = _options.Schedule.GetLearningRate(_baseRate, epoch + (double)b / batches);
        _options.Optimizer.LearningRate = rate;
        T loss = Evaluate();
        double lossValue = double.CreateTruncating(loss);
        if (!double.IsFinite(lossValue))
        {
            throw new TrainingDivergedException(epoch + 1, b + 1, lossValue, rate, "the loss is not finite");
        }

        StepContext<T> context = _context;
        context.Epoch = epoch + 1;
        context.Batch = b + 1;
        context.Rows = _rows;
        context.Inputs = new ReadOnlyMemory<T>(_gatherer.BatchX, 0, _rows * _inputs);
        context.Targets = new ReadOnlyMemory<T>(_gatherer.BatchY, 0, _rows * _targets);
        context.RowIndices = RowIndices(indices);
        context.Loss = loss;
        context.LearningRate = rate;
        return lossValue;
    }

    /// <summary>The batch's row indices as memory the context can hold across an await (copied into a buffer that grows
    /// only when a batch is larger than any before).</summary>
    private ReadOnlyMemory<int> RowIndices(ReadOnlySpan<int> indices)
    {
        if (_rowIndices.Length < indices.Length)
        {
            _rowIndices = new int[indices.Length];
        }

        indices.CopyTo(_rowIndices);
        return new ReadOnlyMemory<int>(_rowIndices, 0, indices.Length);
    }

    /// <summary>Loss and gradients of the current batch (<see cref="_rows"/> rows in the batch buffers), with L2.</summary>
    private T Evaluate() =>
        _objective.Compute(_gatherer.BatchX.AsSpan(0, _rows * _inputs), _gatherer.BatchY.AsSpan(0, _rows * _targets), _gatherer.Weights(_rows), _rows);

    /// <summary>Reports the epoch; returns true when early stopping ends training.</summary>
    private bool EndEpoch(TrainingHistory history, int epoch, double loss, double rate, long started, IProgress<EpochReport>? progress)
    {
        EpochReport report = EpochReportFor(epoch + 1, loss, rate, started);
        history.Add(report);
        // The schedule and early stopping see the epoch before the progress sink does, so a checkpoint written from
        // the sink holds the state that the next epoch will use.
        _options.Schedule.OnEpochEnd(epoch, report.ValidationLoss ?? report.Loss);
        bool stop = Early.Update(report, _network, history);
        if (stop)
        {
            history.StopReason = StopReason.EarlyStopped;
        }

        if (progress is not null)
        {
            // A sink that posts to the thread pool (Progress<T>) must not carry the training flow's mark, or its
            // handler's predictions would skip the weight gate (see WeightGate).
            if (ExecutionContext.IsFlowSuppressed())
            {
                progress.Report(report);
            }
            else
            {
                using (ExecutionContext.SuppressFlow())
                {
                    progress.Report(report);
                }
            }
        }

        return stop;
    }

    private EpochReport EpochReportFor(int epoch, double loss, double rate, long started)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (_options.Metrics.Count > 0)
        {
            Matrix<T> prediction = _network.PredictRows(_x, _totalRows, 0, _trainRows);
            foreach (IMetric metric in _options.Metrics)
            {
                metrics[metric.Name] = metric.Compute(prediction, _trainY);
            }
        }

        double? validationLoss = null;
        if (_validationX is not null && _validationY is not null)
        {
            int rows = _validationLd - _validationFirst;
            Matrix<T> prediction = _network.PredictRows(_validationX, _validationLd, _validationFirst, rows);
            validationLoss = double.CreateTruncating(_options.Loss.Compute<T>(ThrowHelper.ColumnMajor(prediction), ThrowHelper.ColumnMajor(_validationY), rows))
                + _network.ParameterSet.L2Penalty(_options.L2);
            foreach (IMetric metric in _options.Metrics)
            {
                metrics["val_" + metric.Name] = metric.Compute(prediction, _validationY);
            }
        }

        HealthReport? healthReport = _health?.Report(_snapshot);
        return new EpochReport(epoch, loss, validationLoss, metrics, rate, Stopwatch.GetElapsedTime(started), healthReport);
    }

    private static (Network<T>, TrainerOptions) Checked(Network<T> network, TrainerOptions options, Matrix<T> x, Matrix<T> y, Matrix<T>? validationX, Matrix<T>? validationY)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        options.Validate();
        Trainer<T>.CheckData(options, network, x, y, nameof(x), nameof(y));
        Trainer<T>.CheckValidation(options, network, validationX, validationY);
        return (network, options);
    }
}
