using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// Optimiser state that decays once a gradient stops is flushed to zero when it leaves the normal range, instead of
/// staying subnormal for ever (and costing a microcode assist per multiply on every step): the rule itself, and every
/// optimiser with decaying state after one step of tiny gradients followed by a hundred of none.
/// </summary>
public sealed class FlushToZeroTests
{
    [Fact]
    public void Apply_FlushesOnlySubnormals_KeepingTheSign()
    {
        float min = FlushToZero.MinNormal<float>();
        BitConverter.SingleToInt32Bits(min).Should().Be(0x00800000);
        float[] inputs = [1e-40f, -1e-40f, float.Epsilon, min, -min, 0f, -0f, 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        float[] expected = [0f, -0f, 0f, min, -min, 0f, -0f, 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        for (int i = 0; i < inputs.Length; i++)
        {
            float scalar = FlushToZero.Apply(inputs[i], min);
            float lane = FlushToZero.Apply(new System.Numerics.Vector<float>(inputs[i]), new System.Numerics.Vector<float>(min))[0];
            float wide = FlushToZero.Apply(System.Runtime.Intrinsics.Vector512.Create(inputs[i]), System.Runtime.Intrinsics.Vector512.Create(min))[0];
            foreach (float actual in new[] { scalar, lane, wide })
            {
                BitConverter.SingleToInt32Bits(actual).Should().Be(BitConverter.SingleToInt32Bits(expected[i]), $"input {inputs[i]:R}");
            }
        }

        FlushToZero.Apply(1e-310, FlushToZero.MinNormal<double>()).Should().Be(0.0);
        FlushToZero.Apply(2.2250738585072014E-308, FlushToZero.MinNormal<double>()).Should().Be(2.2250738585072014E-308);
    }

    /// <summary>Each optimiser with a gradient scale that puts its state a few decades above the subnormal range.</summary>
    public static TheoryData<string, int, double> Optimizers() => new()
    {
        { "adam", 1, 1e-36 }, { "adam", 2, 1e-36 }, { "momentum", 1, 1e-34 }, { "momentum", 2, 1e-34 }, { "nesterov", 2, 1e-34 }, { "momentum-pytorch", 1, 1e-36 },
        { "rmsprop", 1, 1e-18 }, { "rmsprop-centered-momentum", 1, 1e-34 },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void DecayingState_NeverStaysSubnormal(string name, int threads, double gradientScale)
    {
        int previous = Gemm.MaxDegreeOfParallelism;
        try
        {
            Gemm.MaxDegreeOfParallelism = threads;
            Optimizer optimizer = name switch
            {
                "adam" => new Adam(0.01),
                "momentum" => new Momentum(0.01, 0.9),
                "nesterov" => new Momentum(0.01, 0.9, nesterov: true),
                "momentum-pytorch" => new Momentum(0.01, 0.9, form: MomentumForm.PyTorch),
                "rmsprop" => new RmsProp(0.01),
                _ => new RmsProp(0.01, momentum: 0.9, centered: true),
            };
            var random = new Random(5);
            Parameter<float>[] parameters = [new("W", 211, 193, true), new("b", 1, 19, false), new("W", 157, 191, true)];
            foreach (Parameter<float> p in parameters)
            {
                for (int i = 0; i < p.Length; i++)
                {
                    p.Value[i] = (float)(random.NextDouble() * 2 - 1);
                }
            }

            float[] before = parameters.SelectMany(p => p.Value.ToArray()).ToArray();
            for (int step = 0; step < 100; step++)
            {
                foreach (Parameter<float> p in parameters)
                {
                    for (int i = 0; i < p.Length; i++)
                    {
                        // One step of gradients small enough for the state to start near the bottom of the normal range.
                        p.Gradient[i] = step == 0 ? (float)((random.NextDouble() - 0.5) * gradientScale) : 0f;
                    }
                }

                optimizer.Step(parameters, 0f);
            }

            int subnormal = optimizer.ExportState().Tensors.SelectMany(t => t).Count(v => float.IsSubnormal((float)v));
            subnormal.Should().Be(0);
            optimizer.ExportState().Tensors.SelectMany(t => t).Should().Contain(v => v == 0.0);

            // Steps this small move no weight by more than a few ulps.
            float[] after = parameters.SelectMany(p => p.Value.ToArray()).ToArray();
            after.Should().Equal(before, (a, b) => Math.Abs(a - b) <= Math.Abs(b) * 1e-6f);
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = previous;
        }
    }
}
