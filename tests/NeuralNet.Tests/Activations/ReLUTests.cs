using NeuralNet.Activations;

namespace NeuralNet.Tests.Activations;

public sealed class ReLUTests
{
    [Fact]
    public void Backward_OddLength_MatchesScalarRule()
    {
        // dz = g where z > 0, else 0; 0, -0 and NaN are not > 0. 19 values cover whole vectors and a scalar tail.
        float[] z = [1f, -1f, 0f, -0f, float.NaN, 2f, 3f, -4f, 5f, 0.5f, -0.5f, 7f, 8f, -9f, 10f, 11f, -12f, 13f, float.NaN];
        float[] g = new float[z.Length];
        for (int i = 0; i < g.Length; i++)
        {
            g[i] = i + 1;
        }

        float[] dz = new float[z.Length];
        ReLU.Instance.Backward<float>(z, z, g, dz, 1);

        float[] expected = [1f, 0f, 0f, 0f, 0f, 6f, 7f, 0f, 9f, 10f, 0f, 12f, 13f, 0f, 15f, 16f, 0f, 18f, 0f];
        dz.Should().Equal(expected);
    }

    [Fact]
    public void Backward_InPlaceDouble_MatchesScalarRule()
    {
        // The gradient buffer may be the destination: dz overwrites g element by element.
        double[] z = [-1, 2, -3, 4, 5, -6, 7];
        double[] g = [10, 20, 30, 40, 50, 60, 70];
        ReLU.Instance.Backward<double>(z, z, g, g, 1);
        g.Should().Equal(0, 20, 0, 40, 50, 0, 70);
    }
}
