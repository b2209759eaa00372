using System.Buffers;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Serialization;

namespace NeuralNet;

/// <summary>
/// The whole model in one object: the fitted <see cref="Scaler"/> (if any), the <see cref="Network"/> and the class
/// <see cref="Labels"/> (if any). It predicts from raw features, as they come from the file or the user: a batch
/// <c>[rows x features]</c> or one row, as values, class indices, class names or probabilities, and saves and loads as
/// one model file (<see cref="ModelFile"/>).
/// </summary>
/// <remarks>Prediction is <c>network(scaler(x))</c>; with no scaler, <c>network(x)</c>. Like
/// <see cref="Network{T}.Predict(Matrix{T})"/>, prediction is safe from many threads at once while nobody trains the network.</remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example>
/// <code>
/// var model = new Model&lt;double&gt;(network, scaler, labels);
/// model.Save("iris.nnm");
/// string species = Model&lt;double&gt;.Load("iris.nnm").PredictLabel([5.1, 3.5, 1.4, 0.2]);
/// </code>
/// </example>
public sealed class Model<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Puts a trained network together with its preprocessing and class names.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="scaler">The scaler fitted on the training features, or null when the network takes raw features.</param>
    /// <param name="labels">The class names (class <c>i</c> is <c>labels.NameOf(i)</c>), or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">The scaler is not fitted or has another feature count than the network's
    /// inputs, or the labels do not have one name per class.</exception>
    public Model(Network<T> network, Scaler? scaler = null, LabelMap? labels = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (scaler is not null && (!scaler.IsFitted || scaler.FeatureCount != network.InputSize))
        {
            throw new ArgumentException(scaler.IsFitted
                ? $"the scaler was fitted on {scaler.FeatureCount} features but the network takes {network.InputSize}."
                : "the scaler is not fitted; call Fit on the training features first.", nameof(scaler));
        }

        int classes = network.OutputSize == 1 ? 2 : network.OutputSize;
        if (labels is not null && labels.Count != classes)
        {
            throw new ArgumentException($"the label map has {labels.Count} classes but the network's {network.OutputSize} output(s) give {classes}.", nameof(labels));
        }

        Network = network;
        Scaler = scaler;
        Labels = labels;
    }

    /// <summary>The network.</summary>
    public Network<T> Network { get; }

    /// <summary>The scaler applied to raw features first, or null.</summary>
    public Scaler? Scaler { get; }

    /// <summary>The class names, or null.</summary>
    public LabelMap? Labels { get; }

    /// <summary>Features per raw sample.</summary>
    public int FeatureCount => Network.InputSize;

    /// <summary>Whether NaN and infinite features are rejected with an <see cref="ArgumentException"/> naming the row and
    /// column, instead of giving NaN outputs. Default true.</summary>
    public bool RejectNonFinite { get; init; } = true;

    /// <summary>The model saved in a model file: its network, scaler and labels.</summary>
    /// <param name="saved">What <see cref="ModelFile.Load{T}"/> returned.</param>
    /// <exception cref="ArgumentNullException"><paramref name="saved"/> is null.</exception>
    public static Model<T> From(SavedModel<T> saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        return new Model<T>(saved.Network, saved.Scaler, saved.Labels);
    }

    /// <summary>Loads a model file written by <see cref="Save"/> (or by <see cref="ModelFile.Save{T}"/>).</summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">The file is not a valid model file for <typeparamref name="T"/>.</exception>
    public static Model<T> Load(string path) => From(ModelFile.Load<T>(path));

    /// <summary>Saves the network, the scaler and the labels to one model file, atomically.</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="metadata">Free-form text to store beside, or null.</param>
    /// <param name="trainingSummary">Finite numbers to store beside (e.g. <c>test_accuracy</c>), or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">A layer model files do not know, or a non-finite summary value or weight.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyDictionary<string, double>? trainingSummary = null) =>
        ModelFile.Save(path, Network, new ModelSaveOptions { Scaler = Scaler, Labels = Labels, Metadata = metadata, TrainingSummary = trainingSummary });

    /// <summary>The network's outputs for raw features: <c>network(scaler(x))</c>, <c>[rows x OutputSize]</c>.</summary>
    /// <param name="features">Raw features, one sample per row, <see cref="FeatureCount"/> columns.</param>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The wrong number of columns, or a NaN or infinite feature (with <see cref="RejectNonFinite"/>).</exception>
    public Matrix<T> Predict(Matrix<T> features) => Network.Predict(Scaled(features), RejectNonFinite);

    /// <summary>The network's outputs for one raw sample, as a new array of <c>OutputSize</c> values.</summary>
    /// <param name="features">Raw features, length <see cref="FeatureCount"/> (an array converts).</param>
    /// <exception cref="ArgumentException">The wrong length, or a NaN or infinite feature (with <see cref="RejectNonFinite"/>).</exception>
    public T[] Predict(ReadOnlySpan<T> features)
    {
        var output = new T[Network.OutputSize];
        Predict(features, output);
        return output;
    }

    /// <summary>The network's outputs for one raw sample, written to <paramref name="output"/> without allocating.</summary>
    /// <param name="features">Raw features, length <see cref="FeatureCount"/>.</param>
    /// <param name="output">Destination, length at least <c>OutputSize</c>.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or a feature is NaN or infinite (with <see cref="RejectNonFinite"/>).</exception>
    public void Predict(ReadOnlySpan<T> features, Span<T> output)
    {
        T[] rented = ArrayPool<T>.Shared.Rent(Math.Max(1, features.Length));
        try
        {
            Network.Predict(ScaledRow(features, rented), output, RejectNonFinite);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>The predicted class index of every row (see <see cref="ClassPredictions"/> for how outputs are read).</summary>
    /// <param name="features">Raw features, one sample per row.</param>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The wrong number of columns, or a non-finite feature.</exception>
    public int[] PredictClasses(Matrix<T> features) => Network.PredictClasses(Checked(Scaled(features)));

    /// <summary>The predicted class index of one raw sample.</summary>
    /// <param name="features">Raw features, length <see cref="FeatureCount"/>.</param>
    /// <exception cref="ArgumentException">The wrong length, or a non-finite feature.</exception>
    public int PredictClass(ReadOnlySpan<T> features)
    {
        T[] rented = ArrayPool<T>.Shared.Rent(Math.Max(1, features.Length));
        try
        {
            ReadOnlySpan<T> row = ScaledRow(features, rented);
            CheckRow(row);
            return Network.PredictClass(row);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>The predicted class name of every row.</summary>
    /// <param name="features">Raw features, one sample per row.</param>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The wrong number of columns, or a non-finite feature.</exception>
    /// <exception cref="InvalidOperationException">The model has no <see cref="Labels"/>.</exception>
    public string[] PredictLabels(Matrix<T> features)
    {
        LabelMap labels = RequireLabels();
        int[] classes = PredictClasses(features);
        var names = new string[classes.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = labels.NameOf(classes[i]);
        }

        return names;
    }

    /// <summary>The predicted class name of one raw sample.</summary>
    /// <param name="features">Raw features, length <see cref="FeatureCount"/>.</param>
    /// <exception cref="ArgumentException">The wrong length, or a non-finite feature.</exception>
    /// <exception cref="InvalidOperationException">The model has no <see cref="Labels"/>.</exception>
    public string PredictLabel(ReadOnlySpan<T> features) => RequireLabels().NameOf(PredictClass(features));

    /// <summary>Class probabilities of every row, <c>[rows x OutputSize]</c> (see <see cref="ClassPredictions"/>).</summary>
    /// <param name="features">Raw features, one sample per row.</param>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The wrong number of columns, or a non-finite feature.</exception>
    /// <exception cref="InvalidOperationException">The last layer gives no probabilities.</exception>
    public Matrix<T> PredictProbabilities(Matrix<T> features) => Network.PredictProbabilities(Checked(Scaled(features)));

    /// <summary>Class probabilities of one raw sample, as a new array of <c>OutputSize</c> values.</summary>
    /// <param name="features">Raw features, length <see cref="FeatureCount"/>.</param>
    /// <exception cref="ArgumentException">The wrong length, or a non-finite feature.</exception>
    /// <exception cref="InvalidOperationException">The last layer gives no probabilities.</exception>
    public T[] PredictProbabilities(ReadOnlySpan<T> features)
    {
        var probabilities = new T[Network.OutputSize];
        T[] rented = ArrayPool<T>.Shared.Rent(Math.Max(1, features.Length));
        try
        {
            ReadOnlySpan<T> row = ScaledRow(features, rented);
            CheckRow(row);
            Network.PredictProbabilities(row, probabilities);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }

        return probabilities;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Model<{typeof(T).Name}>({(Scaler is null ? "no scaler" : Scaler.Kind + " scaler")}, {Network}, {(Labels is null ? "no labels" : Labels.Count + " classes")})";

    private Matrix<T> Scaled(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.ColumnCount != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} feature columns, got {features.ColumnCount} (features {ThrowHelper.Shape(features)}).", nameof(features));
        }

        return Scaler is null ? features : Scaler.Transform(features);
    }

    private ReadOnlySpan<T> ScaledRow(ReadOnlySpan<T> features, T[] buffer)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} features, got {features.Length}.", nameof(features));
        }

        if (Scaler is null)
        {
            return features;
        }

        Span<T> scaled = buffer.AsSpan(0, features.Length);
        Scaler.Transform(features, scaled);
        return scaled;
    }

    private Matrix<T> Checked(Matrix<T> scaled)
    {
        if (RejectNonFinite)
        {
            CheckRow(ThrowHelper.ColumnMajor(scaled), scaled.RowCount);
        }

        return scaled;
    }

    private void CheckRow(ReadOnlySpan<T> values, int rows = 1)
    {
        if (!RejectNonFinite)
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new ArgumentException($"features[{i % rows}, {i / rows}] is not finite ({double.CreateTruncating(values[i]).ToString(System.Globalization.CultureInfo.InvariantCulture)}); the model needs finite features (fill or drop missing values first).", "features");
            }
        }
    }

    private LabelMap RequireLabels() =>
        Labels ?? throw new InvalidOperationException("The model has no class names; create it with a LabelMap (or save one in the model file) to predict labels.");
}
