using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Reads the real Fashion-MNIST test files and learns from them: from Debian's <c>dataset-fashion-mnist</c> package when
/// it is installed (as <c>.ci/run</c> does), otherwise from the byte-identical copy under <c>samples/data</c>.
/// </summary>
public class FashionMnistSmokeTests
{
    private const string PackageDirectory = "/usr/share/datasets/fashion-mnist";

    private static string RequireFile(string name)
    {
        string package = Path.Combine(PackageDirectory, name);
        if (File.Exists(package))
        {
            return package;
        }

        string shipped = Path.Combine(ShippedDirectory(), name);
        if (!File.Exists(shipped))
        {
            Assert.Fail($"Neither {package} nor {shipped} exists: install `dataset-fashion-mnist` or restore samples/data from the repository.");
        }

        return shipped;
    }

    private static string ShippedDirectory()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "NeuralNet.sln")))
            {
                return Path.Combine(d.FullName, "samples", "data", "fashion-mnist");
            }
        }

        return Path.Combine("samples", "data", "fashion-mnist");
    }

    [Fact]
    public void ReadDimensions_RealTestFiles_AreTenThousandImagesOf28x28WithAThousandPerClass()
    {
        IdxFile.ReadDimensions(RequireFile("t10k-images-idx3-ubyte.gz"), out IdxDataType type).Should().Equal(10000, 28, 28);
        type.Should().Be(IdxDataType.UnsignedByte);
        int[] labels = IdxFile.ReadLabels(RequireFile("t10k-labels-idx1-ubyte.gz"));
        labels.Should().HaveCount(10000);
        labels.GroupBy(l => l).Select(g => (g.Key, Count: g.Count())).OrderBy(g => g.Key)
            .Should().Equal(Enumerable.Range(0, 10).Select(c => (c, 1000)));
    }

    [Theory]
    [InlineData("t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa")]
    [InlineData("t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05")]
    public void ShippedCopy_MatchesThePublishedFile(string name, string sha256)
    {
        // The hashes of the Debian package's files, recorded in samples/data/README.md.
        byte[] bytes = File.ReadAllBytes(Path.Combine(ShippedDirectory(), name));
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)).Should().Be(sha256);
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
