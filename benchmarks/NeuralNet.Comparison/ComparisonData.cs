using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using TorchSharp;

namespace NeuralNet.Comparison;

/// <summary>
/// The training rows every contender sees, loaded once per process: Fashion-MNIST from
/// <c>/usr/share/datasets/fashion-mnist</c> (Debian's dataset-fashion-mnist, pixels / 255) when present, otherwise
/// 60,000 seeded synthetic rows in [0, 1) labelled by a random linear teacher (<c>label = argmax(x · W)</c>, so there is
/// something to learn). NeuralNet gets MathNet matrices (labels as one column of class indices), TorchSharp gets the
/// same numbers as row-major tensors (<c>float32 [n, 784]</c> and <c>int64 [n]</c>), built here, outside every timing.
/// </summary>
public sealed class ComparisonData
{
    private const string FashionDirectory = "/usr/share/datasets/fashion-mnist";
    private static readonly Lazy<ComparisonData> s_training = new(() => Load("train", 60_000, 1));
    private static readonly Lazy<ComparisonData> s_test = new(() => Load("t10k", 10_000, 2));

    private ComparisonData(string source, Matrix<float> features, int[] labels)
    {
        Source = source;
        Features = features;
        Labels = labels;
        Targets = Matrix<float>.Build.Dense(labels.Length, 1, (i, _) => labels[i]);
        RowMajor = ToRowMajor(features);
        TorchFeatures = torch.tensor(RowMajor, [features.RowCount, features.ColumnCount], torch.float32);
        TorchLabels = torch.tensor(Array.ConvertAll(labels, l => (long)l), [labels.Length], torch.int64);
    }

    /// <summary>The 60,000 training rows.</summary>
    public static ComparisonData Training => s_training.Value;

    /// <summary>The 10,000 test rows (Fashion-MNIST's t10k, or more rows from the same synthetic teacher).</summary>
    public static ComparisonData Test => s_test.Value;

    /// <summary>Where the rows came from, for the printed header.</summary>
    public string Source { get; }

    /// <summary>Features <c>[n x 784]</c>.</summary>
    public Matrix<float> Features { get; }

    /// <summary>Class indices <c>[n x 1]</c> (sparse categorical targets).</summary>
    public Matrix<float> Targets { get; }

    /// <summary>Class indices.</summary>
    public int[] Labels { get; }

    /// <summary>The features row by row (what torch stores).</summary>
    public float[] RowMajor { get; }

    /// <summary><c>float32 [n, 784]</c>.</summary>
    public torch.Tensor TorchFeatures { get; }

    /// <summary><c>int64 [n]</c>.</summary>
    public torch.Tensor TorchLabels { get; }

    /// <summary>Rows.</summary>
    public int Count => Labels.Length;

    /// <summary>The first <paramref name="rows"/> rows as a new set (the CNN's subset).</summary>
    public ComparisonData Take(int rows) =>
        rows >= Count ? this : new ComparisonData(Source, Features.SubMatrix(0, rows, 0, Features.ColumnCount), Labels[..rows]);

    private static ComparisonData Load(string prefix, int syntheticRows, long seed)
    {
        string images = Path.Combine(FashionDirectory, prefix + "-images-idx3-ubyte.gz");
        string labels = Path.Combine(FashionDirectory, prefix + "-labels-idx1-ubyte.gz");
        if (File.Exists(images) && File.Exists(labels))
        {
            Dataset<float> set = IdxFile.LoadDataset<float>(images, labels, scale: 1.0 / 255);
            return new ComparisonData("Fashion-MNIST", set.Features, IdxFile.ReadLabels(labels));
        }

        return Synthetic(syntheticRows, seed);
    }

    private static ComparisonData Synthetic(int rows, long seed)
    {
        const int Inputs = 784, Classes = 10;
        var teacherRandom = new RandomSource(12345);
        var teacher = new float[Inputs * Classes];
        for (int i = 0; i < teacher.Length; i++)
        {
            teacher[i] = (float)teacherRandom.NextGaussian();
        }

        var random = new RandomSource(seed);
        Matrix<float> x = Matrix<float>.Build.Dense(rows, Inputs);
        var labels = new int[rows];
        var row = new float[Inputs];
        var scores = new float[Classes];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < Inputs; c++)
            {
                row[c] = (float)random.NextDouble();
                x[r, c] = row[c];
            }

            // score_k = sum_c (x_c - 0.5) W[c, k]; centring keeps every class reachable.
            for (int k = 0; k < Classes; k++)
            {
                float s = 0;
                for (int c = 0; c < Inputs; c++)
                {
                    s += (row[c] - 0.5f) * teacher[c * Classes + k];
                }

                scores[k] = s;
            }

            labels[r] = ArgMax.Of<float>(scores);
        }

        return new ComparisonData("synthetic (seeded, linear teacher)", x, labels);
    }

    private static float[] ToRowMajor(Matrix<float> m)
    {
        float[] columnMajor = m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
        int rows = m.RowCount, columns = m.ColumnCount;
        var result = new float[rows * columns];
        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                result[r * columns + c] = columnMajor[c * rows + r];
            }
        }

        return result;
    }
}
