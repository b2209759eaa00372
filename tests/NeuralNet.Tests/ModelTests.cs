using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests;

public class ModelTests
{
    private static (Model<double> Model, Matrix<double> Raw) Trained()
    {
        // Three clusters far from the origin and on different scales, so the scaler matters.
        var random = new RandomSource(4);
        int rows = 60;
        Matrix<double> raw = Matrix<double>.Build.Dense(rows, 2);
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % 3;
            raw[i, 0] = 100 + 10 * labels[i] + random.NextGaussian();
            raw[i, 1] = 0.01 * labels[i] + 0.001 * random.NextGaussian();
        }

        var map = new LabelMap(["a", "b", "c"]);
        var scaler = new StandardScaler();
        Matrix<double> x = scaler.FitTransform(raw);
        Network<double> network = new NetworkBuilder<double>(2).WithSeed(3).AddDense(8, Activation.Tanh).AddDense(3, Activation.Softmax).Build();
        new Trainer<double>(new TrainerOptions { Epochs = 60, BatchSize = 16, Optimizer = new Adam(0.05), Loss = Loss.CategoricalCrossEntropy })
            .Fit(network, x, map.OneHot<double>(labels));
        return (new Model<double>(network, scaler, map), raw);
    }

    [Fact]
    public void Predict_RawFeatures_EqualScalerThenNetwork()
    {
        var (model, raw) = Trained();
        Matrix<double> expected = model.Network.Predict(model.Scaler!.Transform(raw));
        model.Predict(raw).Should().Be(expected);
        // One row: the same bits as a one-row matrix through the scaler and the network; within rounding of the same
        // row inside the batch (TensorPrimitives may take a scalar path for a span of one value where the batch's
        // column is computed in vectors, e.g. exp on 256-bit machines).
        double[] oneRow = model.Network.Predict(model.Scaler.Transform(raw.SubMatrix(7, 1, 0, 2))).Row(0).ToArray();
        model.Predict(raw.Row(7).ToArray()).Should().Equal(oneRow);
        model.PredictProbabilities(raw.Row(7).ToArray()).Should().Equal(oneRow);
        for (int j = 0; j < oneRow.Length; j++)
        {
            oneRow[j].Should().BeApproximately(expected[7, j], 1e-14);
        }

        model.PredictClasses(raw).Should().Equal(ArgMax.Rows(expected));
        model.PredictLabels(raw).Take(6).Should().Equal("a", "b", "c", "a", "b", "c");
        model.PredictLabel(raw.Row(5).ToArray()).Should().Be("c");
        model.PredictClass(raw.Row(4).ToArray()).Should().Be(1);
    }

    [Fact]
    public void SaveAndLoad_RoundTripsTheWholeModel()
    {
        var (model, raw) = Trained();
        string path = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}.nnm");
        try
        {
            model.Save(path, new Dictionary<string, string> { ["data"] = "clusters" });
            Model<double> loaded = Model<double>.Load(path);
            loaded.Labels!.ClassNames.Should().Equal("a", "b", "c");
            loaded.Scaler!.Kind.Should().Be("standard");
            loaded.Predict(raw).Should().Be(model.Predict(raw));
            loaded.PredictLabels(raw).Should().Equal(model.PredictLabels(raw));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Predict_NonFiniteFeature_IsRejectedUnlessTurnedOff()
    {
        var (model, raw) = Trained();
        raw[2, 1] = double.NaN;
        FluentActions.Invoking(() => model.PredictClasses(raw)).Should().Throw<ArgumentException>().WithMessage("features[2, 1]*");
        FluentActions.Invoking(() => model.PredictLabel([double.NaN, 1.0])).Should().Throw<ArgumentException>().WithMessage("features[0, 0]*");
        var lenient = new Model<double>(model.Network, model.Scaler, model.Labels) { RejectNonFinite = false };
        double.IsNaN(lenient.Predict(raw)[2, 0]).Should().BeTrue();
    }

    [Fact]
    public void Constructor_MismatchedScalerOrLabels_Throw()
    {
        var (model, _) = Trained();
        var wide = new StandardScaler();
        wide.Fit(Matrix<double>.Build.Dense(4, 3, (i, j) => i + j));
        FluentActions.Invoking(() => new Model<double>(model.Network, wide)).Should().Throw<ArgumentException>().WithParameterName("scaler");
        FluentActions.Invoking(() => new Model<double>(model.Network, labels: new LabelMap(["x", "y"]))).Should().Throw<ArgumentException>().WithParameterName("labels");
        FluentActions.Invoking(() => new Model<double>(model.Network).PredictLabel([1.0, 2.0])).Should().Throw<InvalidOperationException>();
    }
}
