using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Diagnostics;

/// <summary>
/// Numerical gradient check: compares backpropagation's gradient with central differences
/// <c>dL/dθ ≈ (L(θ + ε) - L(θ - ε)) / 2ε</c> for every parameter (or a seeded sample of them) and reports, per layer,
/// the relative error <c>‖g_backprop - g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖)</c>. Run it in double precision:
/// a correct implementation scores well under 1e-6 there.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks <paramref name="network"/>'s gradients of <paramref name="loss"/> on one batch.</summary>
    /// <param name="network">The network; its parameters are perturbed and restored exactly.</param>
    /// <param name="input">Inputs <c>[batch x InputSize]</c>.</param>
    /// <param name="target">Targets for <paramref name="loss"/>.</param>
    /// <param name="loss">The loss to differentiate.</param>
    /// <param name="options">Step size and sampling; defaults when null.</param>
    /// <returns>The per-layer errors.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match the network.</exception>
    /// <remarks>Layers that draw random numbers in training mode (dropout) make the loss itself random; check
    /// networks without them, or with their rate at zero.</remarks>
    public static GradientCheckResult Run<T>(Network<T> network, Matrix<T> input, Matrix<T> target, ILoss loss, GradientCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new GradientCheckOptions();
        options.Validate();

        network.ComputeGradients(input, target, loss);
        T[] x = ThrowHelper.ColumnMajor(input), y = ThrowHelper.ColumnMajor(target);
        int batch = input.RowCount;
        double epsilon = options.Epsilon ?? (typeof(T) == typeof(float) ? 1e-3 : 1e-6);
        var random = new RandomSource(options.Seed);
        var results = new List<LayerGradientCheck>();

        for (int li = 0; li < network.Layers.Count; li++)
        {
            Layer<T> layer = network.Layers[li];
            if (layer.Parameters.Count == 0)
            {
                continue;
            }

            double diff2 = 0, analytic2 = 0, numeric2 = 0, maxAbs = 0;
            int checkedCount = 0;
            foreach (Parameter<T> parameter in layer.Parameters)
            {
                // Take the analytic gradient now: each numerical evaluation below reruns the forward pass only,
                // but keep a copy in case a layer's forward writes gradients.
                T[] analytic = parameter.Gradient.ToArray();
                foreach (int index in SampleIndices(parameter.Length, options.MaxParametersPerTensor, random))
                {
                    T original = parameter.Value[index];
                    parameter.Value[index] = original + T.CreateTruncating(epsilon);
                    double plus = double.CreateTruncating(network.TrainingLoss(x, y, batch, loss));
                    parameter.Value[index] = original - T.CreateTruncating(epsilon);
                    double minus = double.CreateTruncating(network.TrainingLoss(x, y, batch, loss));
                    parameter.Value[index] = original;

                    double numeric = (plus - minus) / (2 * epsilon);
                    double a = double.CreateTruncating(analytic[index]);
                    double d = a - numeric;
                    diff2 += d * d;
                    analytic2 += a * a;
                    numeric2 += numeric * numeric;
                    maxAbs = Math.Max(maxAbs, Math.Abs(d));
                    checkedCount++;
                }
            }

            double denominator = Math.Sqrt(analytic2) + Math.Sqrt(numeric2);
            double relative = denominator < 1e-12 ? 0 : Math.Sqrt(diff2) / denominator;
            results.Add(new LayerGradientCheck(li, layer.Describe(), checkedCount, relative, maxAbs));
        }

        network.ComputeGradients(input, target, loss);
        return new GradientCheckResult(results);
    }

    private static IEnumerable<int> SampleIndices(int length, int? max, RandomSource random)
    {
        if (max is null || max.Value >= length)
        {
            for (int i = 0; i < length; i++)
            {
                yield return i;
            }

            yield break;
        }

        int[] all = new int[length];
        for (int i = 0; i < length; i++)
        {
            all[i] = i;
        }

        random.Shuffle(all.AsSpan());
        for (int i = 0; i < max.Value; i++)
        {
            yield return all[i];
        }
    }
}
