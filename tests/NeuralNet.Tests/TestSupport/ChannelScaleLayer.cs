using System.Numerics;
using System.Text.Json;
using NeuralNet.Layers;
using NeuralNet.Serialization;

namespace NeuralNet.Tests.TestSupport;

/// <summary>An image layer defined outside the library: <c>out[c, h, w] = s[c] · in[c, h, w]</c> with one trainable
/// scale per channel; input and output shape <c>C x H x W</c>. Used to test shapes and codecs registered from outside.</summary>
internal sealed class ChannelScaleLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FeatureShape _shape;
    private readonly Parameter<T> _scale;

    public ChannelScaleLayer(FeatureShape shape)
    {
        _shape = shape;
        _scale = new Parameter<T>("scale", 1, shape.Channels, regularized: false);
        _scale.Value.Fill(T.One);
    }

    public override int InputSize => _shape.Size;

    public override int OutputSize => _shape.Size;

    public override FeatureShape InputShape => _shape;

    public override FeatureShape OutputShape => _shape;

    public override string Kind => "test.channel_scale";

    public override IReadOnlyList<Parameter<T>> Parameters => [_scale];

    private int Plane => _shape.Height * _shape.Width;

    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training) => Infer(input, output, batchSize);

    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        // ds[c] = Σ over rows and the channel's features of dOut · in; dIn = s[c] · dOut.
        Span<T> ds = _scale.Gradient;
        ds.Clear();
        for (int f = 0; f < InputSize; f++)
        {
            int c = f / Plane;
            for (int b = 0; b < batchSize; b++)
            {
                int k = f * batchSize + b;
                ds[c] += outputGradient[k] * input[k];
                if (!inputGradient.IsEmpty)
                {
                    inputGradient[k] = _scale.Value[c] * outputGradient[k];
                }
            }
        }
    }

    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize)
    {
        for (int f = 0; f < InputSize; f++)
        {
            T s = _scale.Value[f / Plane];
            for (int b = 0; b < batchSize; b++)
            {
                output[f * batchSize + b] = s * input[f * batchSize + b];
            }
        }
    }
}

/// <summary>The codec of <see cref="ChannelScaleLayer{T}"/>: no configuration; one tensor <c>scale</c> [1 x C].</summary>
internal sealed class ChannelScaleCodec : ILayerCodec
{
    public static readonly ChannelScaleCodec Instance = new();

    public string Kind => "test.channel_scale";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer is ChannelScaleLayer<T>;

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    public LayerPlan Plan(FeatureShape input, JsonSection config) =>
        new(input, [new TensorSpec("scale", false, 1, input.Channels)]);

    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new ChannelScaleLayer<T>(input);
}
