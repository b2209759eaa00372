using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Data;

/// <summary>Reads the real Fashion-MNIST files of the Debian package <c>dataset-fashion-mnist</c> and learns from them.</summary>
public class FashionMnistSmokeTests
{
    private const string Directory = "/usr/share/datasets/fashion-mnist";

    private static string RequireFile(string name)
    {
        string path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install the Fashion-MNIST data with `sudo apt-get install dataset-fashion-mnist` (.ci/run does this).");
        }

        return path;
    }

    [Fact]
    public void ReadDimensions_RealTrainingFiles_AreSixtyThousandImagesOf28x28()
    {
        IdxFile.ReadDimensions(RequireFile("train-images-idx3-ubyte.gz"), out IdxDataType type).Should().Equal(60000, 28, 28);
        type.Should().Be(IdxDataType.UnsignedByte);
        int[] labels = IdxFile.ReadLabels(RequireFile("train-labels-idx1-ubyte.gz"));
        labels.Should().HaveCount(60000);
        labels.Distinct().Order().Should().Equal(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    [Fact]
    public void Train_FewThousandRealSamples_ReachesAccuracyFarAboveChance()
    {
        Dataset<float> data = IdxFile.LoadDataset<float>(RequireFile("t10k-images-idx3-ubyte.gz"), RequireFile("t10k-labels-idx1-ubyte.gz"), maxSamples: 4000);
        data.FeatureCount.Should().Be(784);
        data.Features.Enumerate().Max().Should().Be(1f);
        var (train, test) = data.Split(0.25, seed: 1);
        Network<float> net = new NetworkBuilder<float>(784).WithSeed(2).AddDense(64, Activation.ReLU).AddDense(10, Activation.Softmax).Build();

        SimpleSgd.Train(net, train, Loss.SparseCategoricalCrossEntropy, epochs: 2, batchSize: 32, learningRate: 0.1, seed: 3);

        // Chance is 0.10; two epochs on 3,000 images reach about 0.75.
        SimpleSgd.Accuracy(net, test).Should().BeGreaterThan(0.6);
    }
}
