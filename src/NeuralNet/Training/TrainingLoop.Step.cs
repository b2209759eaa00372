using System.Numerics.Tensors;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>The step of each batch and the divergence guard around it.</summary>
public sealed partial class TrainingLoop<T>
{
    /// <summary>
    /// The local step of a built-in optimiser with a flat update (<see cref="Optimizer.TryGuardedStep{T}"/>), without
    /// copying the weights first. Why no copy is needed: the step runs only when the optimiser can bound every new value
    /// below a quarter of the largest finite <typeparamref name="T"/>, from the gradients (scanned first: a NaN or ∞
    /// refuses the step), its own state bound, and <see cref="_maxValue"/>, the largest weight magnitude. That last
    /// figure comes out of the previous flat step for free and is trusted only while no code but this loop has run
    /// since: it is forgotten at the start of every epoch (early stopping may have restored weights, the progress sink
    /// may have changed them) and after every <c>onBatch</c> callback, and then recomputed with one pass over the
    /// values. The forward and backward passes do not write the values. So a step that runs cannot leave a weight NaN or
    /// infinite, and the weights before it never need restoring. When the bound cannot be given (huge gradients or
    /// weights, ε = 0, an imported optimiser state not yet bounded), or the health monitor needs the weights before
    /// the epoch's last step, the step falls back to the copy, the plain step and the finiteness check.
    /// </summary>
    private void GuardedStep(int epoch, int b, int batches, double lossValue, double rate)
    {
        ParameterSet<T> set = _network.ParameterSet;
        _context.ClipGradients();
        bool stepped = false;
        if (_health is null || b < batches - 1)
        {
            if (double.IsNaN(_maxValue))
            {
                _maxValue = MaxAbsValue();
            }

            stepped = _guarded!.TryGuardedStep(set.Parameters, _maxValue, out _maxValue);
            if (stepped && !double.IsFinite(_maxValue))
            {
                // Unreachable by the argument above; reported rather than trained on.
                throw new TrainingDivergedException(epoch + 1, b + 1, lossValue, rate, "the step made a weight NaN or infinite although its bound said it could not");
            }
        }

        if (!stepped)
        {
            set.CopyStateTo(_snapshot);
            _guarded!.Step(set.Parameters, _context.Loss, null);
            ThrowIfNotFinite(epoch, b, lossValue, rate);
        }
    }

    /// <summary>Restores the copy taken before the step and throws when the step left a weight NaN or infinite;
    /// otherwise records the largest weight magnitude for the next guarded step.</summary>
    private void ThrowIfNotFinite(int epoch, int b, double lossValue, double rate)
    {
        _maxValue = MaxAbsValue();
        if (!double.IsFinite(_maxValue))
        {
            _network.ParameterSet.SetState(_snapshot);
            _maxValue = double.NaN;
            throw new TrainingDivergedException(epoch + 1, b + 1, lossValue, rate, "the step made a weight NaN or infinite");
        }
    }

    /// <summary><c>max |θ|</c> over the trainable values: NaN when one is NaN, ∞ when one is infinite.</summary>
    private double MaxAbsValue()
    {
        double max = 0;
        IReadOnlyList<Parameter<T>> parameters = _network.ParameterSet.Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            // Math.Max keeps a NaN.
            max = Math.Max(max, double.CreateTruncating(TensorPrimitives.MaxMagnitude<T>(parameters[i].Value)));
        }

        return max;
    }
}
