using System.Buffers;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;

namespace NeuralNet;

/// <summary>
/// Classes and probabilities from a classifier network, for a batch or one row. How the outputs are read depends on
/// the last layer's activation: softmax outputs are the probabilities and the class is their arg-max; one sigmoid output
/// is <c>P(class 1)</c> and the class is <c>p ≥ 0.5</c>; a linear (identity) last layer gives logits, turned into
/// probabilities by softmax (several outputs) or sigmoid (one output), with the class the arg-max or <c>z ≥ 0</c>.
/// Other activations have classes (arg-max, or <c>≥ 0.5</c> for one output) but no probabilities.
/// </summary>
public static class ClassPredictions
{
    /// <summary>The predicted class index of every row: <c>[batch x InputSize]</c> in, <c>batch</c> indices out.</summary>
    /// <param name="network">The classifier.</param>
    /// <param name="input">One sample per row.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have <see cref="Network{T}.InputSize"/> columns.</exception>
    public static int[] PredictClasses<T>(this Network<T> network, Matrix<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        Matrix<T> output = network.Predict(input);
        if (output.ColumnCount > 1)
        {
            return ArgMax.Rows(output);
        }

        T threshold = Threshold(network);
        T[] values = ThrowHelper.ColumnMajor(output);
        var classes = new int[values.Length];
        for (int r = 0; r < values.Length; r++)
        {
            classes[r] = values[r] >= threshold ? 1 : 0;
        }

        return classes;
    }

    /// <summary>The predicted class name of every row, through <paramref name="labels"/> (class <c>i</c> is
    /// <c>labels.NameOf(i)</c>).</summary>
    /// <param name="network">The classifier.</param>
    /// <param name="input">One sample per row.</param>
    /// <param name="labels">The class names, one per class.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong width, or <paramref name="labels"/> does
    /// not have one name per class.</exception>
    public static string[] PredictClasses<T>(this Network<T> network, Matrix<T> input, LabelMap labels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        CheckLabels(network, labels);
        int[] classes = PredictClasses(network, input);
        var names = new string[classes.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = labels.NameOf(classes[i]);
        }

        return names;
    }

    /// <summary>The predicted class index of one sample.</summary>
    /// <param name="network">The classifier.</param>
    /// <param name="input">The sample, length <see cref="Network{T}.InputSize"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong length.</exception>
    public static int PredictClass<T>(this Network<T> network, ReadOnlySpan<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        T[] rented = ArrayPool<T>.Shared.Rent(network.OutputSize);
        try
        {
            Span<T> output = rented.AsSpan(0, network.OutputSize);
            network.Predict(input, output);
            return output.Length > 1 ? ArgMax.Of<T>(output) : output[0] >= Threshold(network) ? 1 : 0;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>The predicted class name of one sample.</summary>
    /// <param name="network">The classifier.</param>
    /// <param name="input">The sample.</param>
    /// <param name="labels">The class names.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A wrong input length, or labels that do not match the classes.</exception>
    public static string PredictClass<T>(this Network<T> network, ReadOnlySpan<T> input, LabelMap labels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        CheckLabels(network, labels);
        return labels.NameOf(PredictClass(network, input));
    }

    /// <summary>Class probabilities of every row, <c>[batch x OutputSize]</c>: the outputs themselves after softmax or
    /// sigmoid, softmax (or sigmoid for one output) of the logits after a linear last layer.</summary>
    /// <param name="network">The classifier.</param>
    /// <param name="input">One sample per row.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong width.</exception>
    /// <exception cref="InvalidOperationException">The last layer's activation gives no probabilities (e.g. ReLU).</exception>
    public static Matrix<T> PredictProbabilities<T>(this Network<T> network, Matrix<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        IActivation? squash = Squash(network);
        Matrix<T> output = network.Predict(input);
        if (squash is not null)
        {
            T[] values = ThrowHelper.ColumnMajor(output);
            squash.Forward<T>(values, values, output.RowCount);
        }

        return output;
    }

    /// <summary>Class probabilities of one sample, written to <paramref name="probabilities"/>.</summary>
    /// <param name="network">The classifier.</param>
    /// <param name="input">The sample, length <see cref="Network{T}.InputSize"/>.</param>
    /// <param name="probabilities">Destination, length at least <see cref="Network{T}.OutputSize"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="InvalidOperationException">The last layer's activation gives no probabilities.</exception>
    public static void PredictProbabilities<T>(this Network<T> network, ReadOnlySpan<T> input, Span<T> probabilities) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        IActivation? squash = Squash(network);
        network.Predict(input, probabilities);
        squash?.Forward<T>(probabilities[..network.OutputSize], probabilities[..network.OutputSize], 1);
    }

    /// <summary>What turns the outputs into probabilities: null when they already are, softmax or sigmoid for logits.</summary>
    private static IActivation? Squash<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        IActivation? last = (network.Layers[^1] as IFusedOutputLayer<T>)?.OutputActivation;
        return last switch
        {
            Softmax or Sigmoid => null,
            Identity => network.OutputSize > 1 ? Activation.Softmax : Activation.Sigmoid,
            _ => throw new InvalidOperationException($"The last layer ({network.Layers[^1].Describe()}) does not output probabilities or logits; class probabilities need a softmax, sigmoid or linear (logits) last layer."),
        };
    }

    /// <summary>The decision threshold of a single output: 0 for logits, 0.5 for a probability.</summary>
    private static T Threshold<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T> =>
        (network.Layers[^1] as IFusedOutputLayer<T>)?.OutputActivation is Identity ? T.Zero : T.CreateTruncating(0.5);

    private static void CheckLabels<T>(Network<T> network, LabelMap labels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        int classes = network.OutputSize == 1 ? 2 : network.OutputSize;
        if (labels.Count != classes)
        {
            throw new ArgumentException($"the label map has {labels.Count} classes but the network's {network.OutputSize} output(s) give {classes}.", nameof(labels));
        }
    }
}
