using System.Numerics;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// Base of the built-in optimisers: holds the learning rate, the step count and the per-parameter state tensors
/// ("slots": Adam's two moments, momentum's velocity), allocated once at the first step and reused.
/// </summary>
public abstract class Optimizer : IOptimizer
{
    private double _learningRate;
    private Array[] _slots = [];
    private double[][]? _imported;
    private Type? _elementType;

    /// <summary>Sets the initial learning rate.</summary>
    /// <param name="learningRate">Step size <c>η</c>, positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite.</exception>
    protected Optimizer(double learningRate)
    {
        ThrowHelper.ThrowIfNotPositive(learningRate, nameof(learningRate));
        LearningRate = learningRate;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            ThrowHelper.ThrowIfNegativeOrNotFinite(value, nameof(LearningRate));
            _learningRate = value;
        }
    }

    /// <inheritdoc />
    public long StepCount { get; private set; }

    /// <inheritdoc />
    public virtual bool RequiresFullBatch => false;

    /// <summary>State tensors per parameter (0 for plain SGD, 1 for momentum, 2 for Adam).</summary>
    protected abstract int SlotsPerParameter { get; }

    /// <inheritdoc />
    public void Step<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        EnsureSlots(parameters);
        StepCount++;
        StepCore(parameters, loss, evaluate);
    }

    /// <summary>
    /// The trainer's guarded step: steps only when the update is certain to leave every value finite, so the trainer
    /// needs no copy of the weights to undo it. The gradients are first scanned (<c>G = max |g|</c>, on the worker
    /// threads); then <see cref="StepBound{T}"/> bounds <c>max |θ'|</c> from <paramref name="maxValue"/>, <c>G</c> and the
    /// state's own bound (kept by the previous step). Only when that bound is at most a quarter of
    /// <typeparamref name="T"/>'s largest value (far from overflow, whatever the rounding) does the step run; otherwise
    /// nothing changes and the caller steps with its copy.
    /// </summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="maxValue"><c>max |θ|</c> of the values now.</param>
    /// <param name="maxValueAfter"><c>max |θ'|</c> after the step (NaN when not stepped).</param>
    /// <returns>Whether the step ran.</returns>
    internal bool TryGuardedStep<T>(IReadOnlyList<Parameter<T>> parameters, double maxValue, out double maxValueAfter) where T : unmanaged, IFloatingPointIeee754<T>
    {
        maxValueAfter = double.NaN;
        FlatStepWork<T>? work = FlatWork<T>();
        if (work is null)
        {
            return false;
        }

        EnsureSlots(parameters);
        double bound = StepBound<T>(maxValue, work.MaxGradient(parameters), MaxState);
        if (!(bound <= Largest<T>() / 4))
        {
            return false;
        }

        StepCount++;
        StepCore(parameters, T.Zero, null);
        maxValueAfter = work.MaxValue;
        return true;
    }

    /// <summary>The largest finite value of <typeparamref name="T"/>.</summary>
    private protected static double Largest<T>() => typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue;

    /// <summary>The flat, multi-threaded form of this optimiser's update, or null when it has none.</summary>
    private protected virtual FlatStepWork<T>? FlatWork<T>() where T : unmanaged, IFloatingPointIeee754<T> => null;

    /// <summary>A bound on <c>max |θ'|</c> after the next step (number <see cref="StepCount"/> + 1) in exact
    /// arithmetic, widened to cover the rounding of every operation, given <c>max |θ| ≤ maxValue</c>, finite gradients with
    /// <c>max |g| = maxGradient</c> and the state bound <paramref name="maxState"/>; NaN or ∞ when none can be given.</summary>
    private protected virtual double StepBound<T>(double maxValue, double maxGradient, double maxState) where T : unmanaged, IFloatingPointIeee754<T> => double.NaN;

    /// <summary>The largest magnitude of the state after the last step (0 before the first, from zero slots), as the
    /// flat step reduced it; NaN when unknown (an imported state) or not finite where it must be.</summary>
    private protected double MaxState { get; set; }

    /// <summary>The state tensors: slot <c>s</c> of parameter <c>i</c> at <c>s · count + i</c>.</summary>
    private protected Array[] SlotArrays => _slots;

    /// <summary>Applies one update; <see cref="StepCount"/> already counts this step (1 on the first).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="loss">The loss at the current values.</param>
    /// <param name="evaluate">The closure that recomputes loss and gradients, when the trainer provides one.</param>
    protected abstract void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The state tensor <paramref name="slot"/> of parameter <paramref name="index"/>, zero-filled at the first step.</summary>
    protected Span<T> Slot<T>(int slot, int index) where T : unmanaged => (T[])_slots[slot * (_slots.Length / Math.Max(1, SlotsPerParameter)) + index];

    /// <inheritdoc />
    public virtual void Reset()
    {
        StepCount = 0;
        _slots = [];
        _imported = null;
        _elementType = null;
    }

    /// <inheritdoc />
    public virtual OptimizerState ExportState()
    {
        var tensors = new double[_slots.Length][];
        for (int i = 0; i < _slots.Length; i++)
        {
            tensors[i] = _slots[i] switch
            {
                float[] f => Array.ConvertAll(f, v => (double)v),
                double[] d => (double[])d.Clone(),
                _ => [],
            };
        }

        if (_slots.Length == 0 && _imported is not null)
        {
            tensors = Array.ConvertAll(_imported, a => (double[])a.Clone());
        }

        return new OptimizerState(Name, StepCount, tensors, ExportScalars());
    }

    /// <inheritdoc />
    public virtual void ImportState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!string.Equals(state.Optimizer, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The state was exported by optimiser '{state.Optimizer}', not '{Name}'.", nameof(state));
        }

        ArgumentNullException.ThrowIfNull(state.Tensors, nameof(state));
        ImportScalars(state.Scalars ?? []);
        StepCount = state.StepCount;
        _slots = [];
        _elementType = null;
        _imported = new double[state.Tensors.Count][];
        for (int i = 0; i < _imported.Length; i++)
        {
            _imported[i] = (double[])(state.Tensors[i] ?? throw new ArgumentException($"State tensor {i} is null.", nameof(state))).Clone();
        }
    }

    /// <summary>Extra scalar state to export (none by default).</summary>
    protected virtual IReadOnlyList<double> ExportScalars() => [];

    /// <summary>Restores the scalars of <see cref="ExportScalars"/>.</summary>
    /// <param name="scalars">The exported scalars.</param>
    protected virtual void ImportScalars(IReadOnlyList<double> scalars)
    {
    }

    /// <summary>Creates the slots (zero, or from an imported state) at the first step and checks them afterwards.</summary>
    private void EnsureSlots<T>(IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int perParameter = SlotsPerParameter;
        int count = perParameter * parameters.Count;
        if (_elementType == typeof(T) && _slots.Length == count)
        {
            for (int s = 0; s < perParameter; s++)
            {
                for (int i = 0; i < parameters.Count; i++)
                {
                    if (_slots[s * parameters.Count + i].Length != parameters[i].Length)
                    {
                        throw new InvalidOperationException($"Optimiser '{Name}' holds state for another parameter list (parameter {i} has {parameters[i].Length} values, the state {_slots[s * parameters.Count + i].Length}); call Reset() first.");
                    }
                }
            }

            return;
        }

        if (_elementType is not null)
        {
            throw new InvalidOperationException($"Optimiser '{Name}' holds state for another parameter list ({_slots.Length / Math.Max(1, perParameter)} parameters of {_elementType.Name}, now {parameters.Count} of {typeof(T).Name}); call Reset() first.");
        }

        if (_imported is not null && _imported.Length != count)
        {
            throw new InvalidOperationException($"The imported state of optimiser '{Name}' has {_imported.Length} tensors; {parameters.Count} parameters need {count}.");
        }

        var slots = new Array[count];
        for (int s = 0; s < perParameter; s++)
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                int k = s * parameters.Count + i;
                var slot = AlignedArrays.Allocate<T>(parameters[i].Length);
                if (_imported is not null)
                {
                    if (_imported[k].Length != slot.Length)
                    {
                        throw new InvalidOperationException($"The imported state tensor {k} of optimiser '{Name}' has {_imported[k].Length} values; parameter {i} has {slot.Length}.");
                    }

                    for (int j = 0; j < slot.Length; j++)
                    {
                        slot[j] = T.CreateTruncating(_imported[k][j]);
                    }
                }

                slots[k] = slot;
            }
        }

        _slots = slots;
        MaxState = _imported is null ? 0 : double.NaN;
        _imported = null;
        _elementType = typeof(T);
    }
}
