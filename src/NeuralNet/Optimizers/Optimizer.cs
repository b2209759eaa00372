using System.Numerics;
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
                var slot = new T[parameters[i].Length];
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
        _imported = null;
        _elementType = typeof(T);
    }
}
