using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Layers;

public class ParameterSetTests
{
    /// <summary>dense 3->4, batch norm, dropout, dense 4->2: every built-in layer kind.</summary>
    private static Network<T> Net<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new NetworkBuilder<T>(3).WithSeed(4).AddDense(4, Activation.ReLU).AddBatchNorm().AddDropout(0.5).AddDense(2, Activation.Softmax).Build();

    [Fact]
    public void Layout_EveryLayerKind_NamesShapesAndOffsets()
    {
        ParameterLayout layout = Net<double>().ParameterSet.Layout;

        // Trainables layer by layer (0.W 3x4 = 12, 0.b 4, 1.gamma 4, 1.beta 4, 3.W 4x2 = 8, 3.b 2 -> 34), then buffers.
        layout.Segments.Select(s => (s.Name, s.Rows, s.Columns, s.Offset, s.IsRegularized, s.IsBuffer)).Should().Equal(
            ("0.W", 3, 4, 0, true, false),
            ("0.b", 1, 4, 12, false, false),
            ("1.gamma", 1, 4, 16, false, false),
            ("1.beta", 1, 4, 20, false, false),
            ("3.W", 4, 2, 24, true, false),
            ("3.b", 1, 2, 32, false, false),
            ("1.running_mean", 1, 4, 34, false, true),
            ("1.running_variance", 1, 4, 38, false, true));
        layout.ParameterLength.Should().Be(34);
        layout.StateLength.Should().Be(42);
        layout.Find("3.W")!.Layer.Should().Be(3);
        layout.Find("3.W")!.Role.Should().Be("W");
        layout.Find("2.W").Should().BeNull("dropout has no tensors");
    }

    [Fact]
    public void Values_RoundTrip_BitIdentical_AndMatchTheLayerTensors()
    {
        Network<float> net = Net<float>();
        ParameterSet<float> set = net.ParameterSet;
        var values = new float[set.Length];
        set.CopyValuesTo<float>(values);
        var dense = (DenseLayer<float>)net.Layers[3];
        values.AsSpan(24, 8).ToArray().Should().Equal(dense.WeightParameter.Value.ToArray());

        var changed = values.Select((v, i) => v + i * 0.25f).ToArray();
        set.SetValues<float>(changed);
        var back = new float[set.Length];
        set.CopyValuesTo<float>(back);
        back.Should().Equal(changed);
        dense.WeightParameter.Value[0].Should().Be(changed[24]);

        // float -> double widening is exact, and back again too.
        var wide = new double[set.Length];
        set.CopyValuesTo<double>(wide);
        wide.Select(v => (float)v).Should().Equal(changed);
        set.SetValues<double>(wide);
        set.CopyValuesTo<float>(back);
        back.Should().Equal(changed);
    }

    [Fact]
    public void Gradients_RoundTrip_AddScaleNormAndClip()
    {
        ParameterSet<double> set = Net<double>().ParameterSet;
        double[] g = Enumerable.Range(0, set.Length).Select(i => (i % 5) - 2.0).ToArray();
        set.SetGradients<double>(g);
        var back = new double[set.Length];
        set.CopyGradientsTo<double>(back);
        back.Should().Equal(g);

        // g + 0.5 g = 1.5 g, then x2 = 3 g.
        set.AddGradients(g, 0.5);
        set.ScaleGradients(2.0);
        set.CopyGradientsTo<double>(back);
        back.Should().Equal(g.Select(v => 3 * v));

        double norm = Math.Sqrt(g.Sum(v => 9 * v * v));
        set.GradientNorm().Should().BeApproximately(norm, 1e-12);
        set.ClipGradients(norm * 2).Should().BeFalse();
        set.ClipGradients(1.0).Should().BeTrue();
        set.GradientNorm().Should().BeApproximately(1.0, 1e-12);

        set.ClearGradients();
        set.GradientNorm().Should().Be(0);
    }

    [Fact]
    public void State_RoundTrip_IncludesBuffers()
    {
        Network<double> net = Net<double>();
        ParameterSet<double> set = net.ParameterSet;
        double[] state = Enumerable.Range(0, set.StateLength).Select(i => i / 7.0).ToArray();
        set.SetState(state);
        ((BatchNormLayer<double>)net.Layers[1]).Buffers[1].Value.ToArray().Should().Equal(state.AsSpan(38, 4).ToArray());
        var back = new double[set.StateLength];
        set.CopyStateTo(back);
        back.Should().Equal(state);
    }

    [Fact]
    public void L2_WorkedByHand()
    {
        // Only W tensors are regularised. Set every value to 2 and every gradient to 0:
        // penalty = λ/2 Σ w² = 0.1/2 · (12 + 8) · 4 = 4; gradient of each W value = λ w = 0.2, others stay 0.
        ParameterSet<double> set = Net<double>().ParameterSet;
        set.SetValues<double>(Enumerable.Repeat(2.0, set.Length).ToArray());
        set.ClearGradients();
        set.L2Penalty(0.1).Should().BeApproximately(4.0, 1e-12);
        set.AddL2(0.1).Should().BeApproximately(4.0, 1e-12);
        var g = new double[set.Length];
        set.CopyGradientsTo<double>(g);
        g.AsSpan(0, 12).ToArray().Should().AllSatisfy(v => v.Should().BeApproximately(0.2, 1e-15));
        g.AsSpan(12, 12).ToArray().Should().AllBeEquivalentTo(0.0);
        g.AsSpan(24, 8).ToArray().Should().AllSatisfy(v => v.Should().BeApproximately(0.2, 1e-15));
    }

    [Fact]
    public void ValuesFinite_DetectsNaN()
    {
        Network<float> net = Net<float>();
        net.ParameterSet.ValuesFinite().Should().BeTrue();
        ((DenseLayer<float>)net.Layers[0]).BiasParameter.Value[2] = float.NaN;
        net.ParameterSet.ValuesFinite().Should().BeFalse();
    }

    [Fact]
    public void ShortSpan_Throws_NamingBothLengths()
    {
        ParameterSet<double> set = Net<double>().ParameterSet;
        Action act = () => set.CopyValuesTo<double>(new double[10]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage("*at least 34*got 10*");
        Action state = () => set.SetState(new double[34]);
        state.Should().Throw<ArgumentException>().WithParameterName("source").WithMessage("*at least 42*got 34*");
    }

    [Fact]
    public void BareTensorList_HasIndexedLayout_AndOptimisersStepThroughIt()
    {
        var a = new Parameter<double>("w", 2, 1, regularized: true);
        var b = new Parameter<double>("w", 1, 1, regularized: false);
        var set = new ParameterSet<double>([a, b]);
        set.Layout.Segments.Select(s => s.Name).Should().Equal("0.w", "1.w");
        set.SetValues<double>([1.0, 2.0, 3.0]);
        set.SetGradients<double>([1.0, -1.0, 0.5]);
        new Sgd(0.1).Step(set.Parameters, 0.0);
        var v = new double[3];
        set.CopyValuesTo<double>(v);
        v.Should().BeEquivalentTo([0.9, 2.1, 2.95], o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-15)).WhenTypeIs<double>());
    }

    [Fact]
    public void Network_ParameterCount_IsTheFlatLength() =>
        Net<float>().ParameterCount.Should().Be(34);
}
