using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Training;

/// <summary>Computes a <see cref="HealthReport"/> at the end of an epoch from the last step's gradients and update and
/// from one inference pass over a fixed sample of training rows. Buffers are allocated once per fit.</summary>
internal sealed class HealthMonitor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int SampleRows = 256;
    private readonly Network<T> _network;
    private readonly T[] _sample;
    private readonly int _rows;
    private readonly T[] _a, _b;
    private readonly double _maxAbsInput;

    public HealthMonitor(Network<T> network, T[] x, int totalRows, int trainRows)
    {
        _network = network;
        _rows = Math.Min(SampleRows, trainRows);
        int inputs = network.InputSize;
        _sample = new T[_rows * inputs];
        for (int j = 0; j < inputs; j++)
        {
            x.AsSpan(j * totalRows, _rows).CopyTo(_sample.AsSpan(j * _rows, _rows));
        }

        double max = 0;
        for (int j = 0; j < inputs; j++)
        {
            max = Math.Max(max, double.CreateTruncating(TensorPrimitives.MaxMagnitude<T>(x.AsSpan(j * totalRows, trainRows))));
        }

        _maxAbsInput = max;
        int width = inputs;
        foreach (Layer<T> layer in network.Layers)
        {
            width = Math.Max(width, layer.OutputSize);
        }

        _a = new T[_rows * width];
        _b = new T[_rows * width];
    }

    /// <summary>Builds the report; <paramref name="before"/> is the snapshot taken before the epoch's last step.</summary>
    public HealthReport Report(ReadOnlySpan<T> before)
    {
        var hints = new List<string>();
        if (_maxAbsInput > 10)
        {
            hints.Add(string.Create(CultureInfo.InvariantCulture, $"inputs look unscaled: max |x| = {_maxAbsInput:G4}; standardise the features (zero mean, unit variance) or divide by their range."));
        }

        var layers = new LayerHealth[_network.Layers.Count];
        ParameterSet<T> set = _network.ParameterSet;
        IReadOnlyList<ParameterSegment> segments = set.Layout.Segments;
        int k = 0;
        ReadOnlySpan<T> input = _sample;
        double maxGradient = 0;
        for (int i = 0; i < layers.Length; i++)
        {
            Layer<T> layer = _network.Layers[i];
            double gradient2 = 0, update2 = 0, weight2 = 0;
            for (; k < set.Parameters.Count && segments[k].Layer == i; k++)
            {
                Parameter<T> p = set.Parameters[k];
                ReadOnlySpan<T> value = p.Value;
                ReadOnlySpan<T> old = before.Slice(segments[k].Offset, segments[k].Length);
                gradient2 += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(p.Gradient));
                weight2 += double.CreateTruncating(TensorPrimitives.SumOfSquares(value));
                for (int e = 0; e < value.Length; e++)
                {
                    double d = double.CreateTruncating(value[e] - old[e]);
                    update2 += d * d;
                }
            }

            Span<T> output = ((i & 1) == 0 ? _a : _b).AsSpan(0, _rows * layer.OutputSize);
            layer.Infer(input, output, _rows);
            input = output;

            double? dead = null, saturated = null;
            if (layer is DenseLayer<T> dense)
            {
                if (ReferenceEquals(dense.Activation, Activation.ReLU))
                {
                    int deadUnits = 0;
                    for (int j = 0; j < layer.OutputSize; j++)
                    {
                        if (TensorPrimitives.Max<T>(output.Slice(j * _rows, _rows)) <= T.Zero)
                        {
                            deadUnits++;
                        }
                    }

                    dead = (double)deadUnits / layer.OutputSize;
                }
                else if (ReferenceEquals(dense.Activation, Activation.Sigmoid) || ReferenceEquals(dense.Activation, Activation.Tanh))
                {
                    bool sigmoid = ReferenceEquals(dense.Activation, Activation.Sigmoid);
                    long count = 0;
                    foreach (T v in output)
                    {
                        double a = double.CreateTruncating(v);
                        bool s = sigmoid ? a < 0.01 || a > 0.99 : Math.Abs(a) > 0.99;
                        count += s ? 1 : 0;
                    }

                    saturated = (double)count / output.Length;
                }
            }

            double gradientNorm = Math.Sqrt(gradient2);
            maxGradient = Math.Max(maxGradient, gradientNorm);
            layers[i] = new LayerHealth(i, layer.Describe(), gradientNorm, weight2 > 0 ? Math.Sqrt(update2 / weight2) : 0, dead, saturated);
        }

        foreach (LayerHealth h in layers)
        {
            if (h.DeadFraction > 0.5)
            {
                hints.Add(string.Create(CultureInfo.InvariantCulture, $"layer {h.LayerIndex} ({h.Layer}): {h.DeadFraction * 100:F0}% of its ReLU units output 0 for all {_rows} sampled rows (dead); lower the learning rate, or use leaky_relu or He initialisation."));
            }

            if (h.SaturatedFraction > 0.5)
            {
                hints.Add(string.Create(CultureInfo.InvariantCulture, $"layer {h.LayerIndex} ({h.Layer}): {h.SaturatedFraction * 100:F0}% of its outputs are saturated, so its gradients vanish; scale the inputs or use a smaller initialisation."));
            }

            if (h.UpdateToWeightRatio > 0.1)
            {
                hints.Add(string.Create(CultureInfo.InvariantCulture, $"layer {h.LayerIndex} ({h.Layer}): the last update changed its weights by {h.UpdateToWeightRatio:G3} of their size (healthy is about 1e-3); the learning rate looks too high."));
            }
            else if (h.UpdateToWeightRatio > 0 && h.UpdateToWeightRatio < 1e-7)
            {
                hints.Add(string.Create(CultureInfo.InvariantCulture, $"layer {h.LayerIndex} ({h.Layer}): the last update changed its weights by only {h.UpdateToWeightRatio:G3} of their size; the learning rate looks too low."));
            }

            if (maxGradient > 0 && h.GradientNorm > 0 && h.GradientNorm < 1e-6 * maxGradient)
            {
                hints.Add(string.Create(CultureInfo.InvariantCulture, $"layer {h.LayerIndex} ({h.Layer}): gradient norm {h.GradientNorm:G3} is a millionth of the largest layer's ({maxGradient:G3}); gradients vanish before reaching it."));
            }
        }

        return new HealthReport(layers, _maxAbsInput, hints);
    }
}
