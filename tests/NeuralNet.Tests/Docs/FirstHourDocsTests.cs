using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Tests.Docs;

/// <summary>
/// The snippets of docs/getting-started.md ("A first classifier, end to end"), docs/training.md ("Progress in a console
/// app", "Class and sample weights", "Stopping when the loss stalls", "PyTorch's update rules") and
/// docs/data-and-model-files.md ("One object for the whole model"), line for line between the marked lines, so the
/// documented code keeps compiling and working.
/// </summary>
public class FirstHourDocsTests
{
    private static string DigitsPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", "digits.csv.gz");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"samples/data/digits.csv.gz not found above {AppContext.BaseDirectory}.");
        return "";
    }

    [Fact]
    public void GettingStarted_FirstClassifier()
    {
        string path = DigitsPath();
        string modelPath = Path.Combine(Path.GetTempPath(), $"digits-{Guid.NewGuid():N}.nnm");
        var lines = new List<string>();
        var original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            // --- docs/getting-started.md: A first classifier, end to end
            CsvTable<double> table = CsvLoader.Load<double>(path, new CsvOptions { HasHeader = false }); // label: last column
            LabelMap classes = LabelMap.Fit(table.Labels);
            var (train, test) = table.ToClassificationDataset(classes).Split(0.2, seed: 1);

            var scaler = new StandardScaler();
            var scaledTrain = new Dataset<double>(scaler.FitTransform(train.Features), train.Targets);
            var scaledTest = new Dataset<double>(scaler.Transform(test.Features), test.Targets);

            Network<double> net = new NetworkBuilder<double>(train.FeatureCount)
                .WithSeed(1)
                .AddDense(32, Activation.ReLU)
                .AddDense(classes.Count, Activation.Softmax)     // softmax: outputs are probabilities
                .Build();

            var trainer = new Trainer<double>(new TrainerOptions
            {
                Epochs = 20,                                     // default 10
                Optimizer = new Adam(0.01),                      // default Adam(0.001)
                Loss = Loss.SparseCategoricalCrossEntropy,       // default mean squared error: set it for classifiers
                Metrics = [Metric.Accuracy],
            });
            TrainingHistory history = trainer.Fit(net, scaledTrain, scaledTest, onEpoch: r => Console.WriteLine(r));
            Console.WriteLine(trainer.Evaluate(net, scaledTest));   // e.g. "loss 0.1, accuracy 0.97"

            int[] predicted = net.PredictClasses(scaledTest.Features);          // class indices
            string[] names = net.PredictClasses(scaledTest.Features, classes);  // class names
            Matrix<double> p = net.PredictProbabilities(scaledTest.Features);   // [rows x 10], rows sum to 1

            var model = new Model<double>(net, scaler, classes);                // scaler + network + labels
            string first = model.PredictLabel(test.Features.Row(0).ToArray()); // raw features in, a name out
            model.Save(modelPath);
            Model<double> loaded = Model<double>.Load(modelPath);
            // --- end

            lines.AddRange(writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
            history.Epochs.Should().HaveCount(20);
            lines.Should().HaveCount(21);
            lines[0].Should().StartWith("epoch 1: loss ");
            lines[^1].Should().StartWith("loss ").And.Contain("accuracy 0.9");
            double accuracy = 0;
            for (int i = 0; i < predicted.Length; i++)
            {
                accuracy += predicted[i] == (int)test.Targets[i, 0] ? 1.0 / predicted.Length : 0;
                names[i].Should().Be(classes.NameOf(predicted[i]));
            }

            accuracy.Should().BeGreaterThan(0.93);
            p.RowSums().Enumerate().Should().OnlyContain(s => Math.Abs(s - 1) < 1e-12);
            first.Should().Be(names[0]);
            loaded.PredictClasses(test.Features).Should().Equal(predicted);
        }
        finally
        {
            Console.SetOut(original);
            File.Delete(modelPath);
        }
    }

    [Fact]
    public void Training_ClassAndSampleWeights()
    {
        // Two classes, 90 of class 0 and 10 of class 1, overlapping.
        var random = new RandomSource(5);
        int rows = 100;
        Matrix<double> x = Matrix<double>.Build.Dense(rows, 2, (i, _) => (i < 90 ? 0.0 : 1.0) + random.NextGaussian());
        Matrix<double> y = Matrix<double>.Build.Dense(rows, 1, (i, _) => i < 90 ? 0 : 1);
        double[] sampleWeights = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            sampleWeights[i] = i % 2 == 0 ? 1.0 : 0.5;
        }

        Network<double> BuildNet() => new NetworkBuilder<double>(2).WithSeed(3).AddDense(2, Activation.Softmax).Build();
        Network<double> plain = BuildNet();
        new Trainer<double>(new TrainerOptions { Epochs = 30, Optimizer = new Adam(0.05), Loss = Loss.SparseCategoricalCrossEntropy }).Fit(plain, x, y);

        Network<double> network = BuildNet();
        // --- docs/training.md: Class and sample weights
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 30,
            Optimizer = new Adam(0.05),
            Loss = Loss.SparseCategoricalCrossEntropy,
            ClassWeights = [0.5 * 100 / 90, 0.5 * 100 / 10],   // scikit-learn's "balanced": n / (classes · count)
        });
        trainer.Fit(network, x, y, sampleWeights);                // and a weight per row
        // --- end

        // The rare class is found more often with the weights than without.
        int Found(Network<double> n) => n.PredictClasses(x).Skip(90).Count(c => c == 1);
        Found(network).Should().BeGreaterThan(Found(plain));
    }

    [Fact]
    public void Training_ProgressStallStopAndPyTorchRules()
    {
        var (x, y) = Training.LeastSquares.Data(64);
        Network<double> network = Training.LeastSquares.LinearNetwork();
        var original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        TrainingHistory history;
        try
        {
            // --- docs/training.md: Progress in a console app
            var trainer = new Trainer<double>(new TrainerOptions
            {
                Epochs = 500,
                Optimizer = new Momentum(0.01, 0.9, nesterov: true, MomentumForm.PyTorch),  // torch.optim.SGD(nesterov=True)
                EarlyStopping = EarlyStoppingOptions.WhenTrainingLossStalls(tol: 1e-4, nIterNoChange: 10),
            });
            history = trainer.Fit(network, x, y, r => Console.WriteLine(r));   // runs on this thread, in order
            Console.WriteLine(history);   // e.g. "40 epochs, EarlyStopped; best epoch 29 (...); last: epoch 40: loss ..."
            // --- end
        }
        finally
        {
            Console.SetOut(original);
        }

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        history.StopReason.Should().Be(StopReason.EarlyStopped);
        lines.Should().HaveCount(history.Epochs.Count + 1);
        lines[^1].Should().StartWith($"{history.Epochs.Count} epochs, EarlyStopped");
        Training.LeastSquares.Error(network).Should().BeLessThan(0.01);

        // --- docs/training.md: PyTorch's update rules
        var rmsprop = new RmsProp(learningRate: 0.01, rho: 0.99, epsilon: 1e-8, momentum: 0.9, centered: true); // torch.optim.RMSprop(..., momentum=0.9, centered=True)
        IActivation gelu = Activation.GeluExact;                  // x Φ(x), PyTorch's nn.GELU(); Activation.Gelu is the tanh form
        ILoss smoothed = Loss.SparseCategoricalCrossEntropyWithLabelSmoothing(0.1);   // nn.CrossEntropyLoss(label_smoothing=0.1)
        // --- end
        smoothed.Name.Should().Be("sparse_categorical_crossentropy(from_logits=0,label_smoothing=0.1)");
        rmsprop.Centered.Should().BeTrue();
        gelu.Name.Should().Be("gelu_exact");
    }

    [Fact]
    public void Training_OneCycleSchedule()
    {
        Matrix<float> x = Matrix<float>.Build.Dense(300, 4, (i, j) => (i * 5 + j * 3) % 17 / 17f);
        Matrix<float> y = Matrix<float>.Build.Dense(300, 1, (i, _) => i % 3);
        Network<float> network = new NetworkBuilder<float>(4).WithSeed(2).AddDense(8, Activation.ReLU).AddDense(3, Activation.Softmax).Build();

        // --- docs/training.md: Schedules
        int batchesPerEpoch = (x.RowCount + 127) / 128;
        var trainer = new Trainer<float>(new TrainerOptions
        {
            Epochs = 20, BatchSize = 128, Loss = Loss.SparseCategoricalCrossEntropy,
            Optimizer = new Adam(0.008),                          // the peak rate
            Schedule = new OneCycleSchedule(epochs: 20, stepsPerEpoch: batchesPerEpoch),
        });
        // --- end
        var rates = new List<double>();
        trainer.Fit(network, x, y, null, null, null, report => rates.Add(report.LearningRate));
        rates.Should().HaveCount(20 * 3);
        rates[0].Should().BeApproximately(0.008 / 25, 1e-12);
        rates.Max().Should().BeApproximately(0.008, 1e-3 * 0.008);
        rates[^1].Should().BeApproximately(0.008 / 25 / 1e4, 1e-15);
    }

    [Fact]
    public void DataAndModelFiles_OneObjectForTheWholeModel()
    {
        var random = new RandomSource(2);
        Matrix<double> rawTrain = Matrix<double>.Build.Dense(40, 3, (i, j) => 100 * j + (i % 2) * 10 + random.NextGaussian());
        Matrix<double> yTrain = Matrix<double>.Build.Dense(40, 1, (i, _) => i % 2);
        var labels = new LabelMap(["cat", "dog"]);
        var scaler = new StandardScaler();
        Network<double> network = new NetworkBuilder<double>(3).WithSeed(1).AddDense(2, Activation.Softmax).Build();
        new Trainer<double>(new TrainerOptions { Epochs = 40, Optimizer = new Adam(0.05), Loss = Loss.SparseCategoricalCrossEntropy })
            .Fit(network, scaler.FitTransform(rawTrain), yTrain);
        string path = Path.Combine(Path.GetTempPath(), $"pets-{Guid.NewGuid():N}.nnm");
        try
        {
            // --- docs/data-and-model-files.md: One object for the whole model
            var model = new Model<double>(network, scaler, labels);
            model.Save(path);                                              // one file: scaler, network, labels

            Model<double> loaded = Model<double>.Load(path);
            string label = loaded.PredictLabel([10.5, 109.8, 210.2]);     // raw features, one row
            double[] probabilities = loaded.PredictProbabilities([10.5, 109.8, 210.2]);
            int[] classes = loaded.PredictClasses(rawTrain);               // a batch of raw rows
            Matrix<double> outputs = loaded.Predict(rawTrain);             // network(scaler(x))

            Span<double> scaled = stackalloc double[3];
            scaler.Transform([10.5, 109.8, 210.2], scaled);               // one row, no allocation
            // loaded.PredictLabel([double.NaN, 1, 2]) throws ArgumentException: "features[0, 0] is not finite (NaN) ..."
            // --- end

            label.Should().Be("dog");
            probabilities[1].Should().BeGreaterThan(0.5);
            classes.Should().Equal(Enumerable.Range(0, 40).Select(i => i % 2));
            outputs.Should().Be(network.Predict(scaler.Transform(rawTrain)));
            scaled[1].Should().Be(scaler.Transform(Matrix<double>.Build.DenseOfArray(new[,] { { 10.5, 109.8, 210.2 } }))[0, 1]);
            FluentActions.Invoking(() => loaded.PredictLabel([double.NaN, 1, 2])).Should().Throw<ArgumentException>().WithMessage("features[0, 0] is not finite (NaN)*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
