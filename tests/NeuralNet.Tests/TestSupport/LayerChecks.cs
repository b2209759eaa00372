using NeuralNet.Layers;

namespace NeuralNet.Tests.TestSupport;

/// <summary>
/// Central-difference checks of one layer in double: the loss is <c>L = Σ r ⊙ output</c> for fixed random weights
/// <c>r</c>, so <c>dL/doutput = r</c> and Backward's input and parameter gradients can be compared with
/// <c>(L(θ + ε) - L(θ - ε)) / 2ε</c> for every input value and every parameter.
/// </summary>
internal static class LayerChecks
{
    /// <summary>The worst relative error <c>‖g - g_num‖ / (‖g‖ + ‖g_num‖)</c> over the input gradient and each parameter's gradient.</summary>
    public static double WorstRelativeError(Layer<double> layer, int batch, long seed, double epsilon = 1e-6)
    {
        var random = new RandomSource(seed);
        layer.Initialize(random);
        foreach (Parameter<double> p in layer.Parameters)
        {
            // Biases away from zero, so their gradient paths matter.
            for (int i = 0; i < p.Length; i++)
            {
                p.Value[i] += 0.1 * random.NextGaussian();
            }
        }

        double[] x = Gaussian(batch * layer.InputSize, random);
        double[] r = Gaussian(batch * layer.OutputSize, random);

        layer.Forward(x, batch, training: true);
        double[] dx = layer.Backward(x, r, batch, computeInputGradient: true).ToArray();
        double[][] analytic = layer.Parameters.Select(p => p.Gradient.ToArray()).ToArray();

        double worst = RelativeError(dx, Numeric(x, layer, x, r, batch, epsilon));
        for (int k = 0; k < layer.Parameters.Count; k++)
        {
            double[] value = layer.Parameters[k].Value.ToArray();
            double[] numeric = Numeric(value, layer, x, r, batch, epsilon, layer.Parameters[k]);
            worst = Math.Max(worst, RelativeError(analytic[k], numeric));
        }

        return worst;
    }

    public static double[] Gaussian(int n, RandomSource random)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = random.NextGaussian();
        }

        return values;
    }

    /// <summary>Central differences of L with respect to each element of <paramref name="values"/>, which is either the
    /// input (when <paramref name="parameter"/> is null) or a copy of the parameter's values.</summary>
    private static double[] Numeric(double[] values, Layer<double> layer, double[] x, double[] r, int batch, double epsilon, Parameter<double>? parameter = null)
    {
        var numeric = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double original = Get(i);
            Set(i, original + epsilon);
            double plus = Loss(layer, x, r, batch);
            Set(i, original - epsilon);
            double minus = Loss(layer, x, r, batch);
            Set(i, original);
            numeric[i] = (plus - minus) / (2 * epsilon);
        }

        return numeric;

        double Get(int i) => parameter is null ? x[i] : parameter.Value[i];
        void Set(int i, double v)
        {
            if (parameter is null)
            {
                x[i] = v;
            }
            else
            {
                parameter.Value[i] = v;
            }
        }
    }

    private static double Loss(Layer<double> layer, double[] x, double[] r, int batch)
    {
        var output = new double[batch * layer.OutputSize];
        layer.Infer(x, output, batch);
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            sum += r[i] * output[i];
        }

        return sum;
    }

    private static double RelativeError(double[] analytic, double[] numeric)
    {
        double diff = 0, a = 0, n = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            a += analytic[i] * analytic[i];
            n += numeric[i] * numeric[i];
        }

        double denominator = Math.Sqrt(a) + Math.Sqrt(n);
        return denominator == 0 ? 0 : Math.Sqrt(diff) / denominator;
    }
}
