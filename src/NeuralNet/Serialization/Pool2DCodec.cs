using System.Numerics;
using System.Text.Json;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary><see cref="MaxPool2DLayer{T}"/> (<c>max_pool2d</c>) and <see cref="AvgPool2DLayer{T}"/>
/// (<c>avg_pool2d</c>): config <c>pool_*</c>, <c>stride_*</c>, padding (see <see cref="WindowConfig"/>); no tensors.</summary>
internal sealed class Pool2DCodec(bool max) : ILayerCodec
{
    public string Kind => max ? "max_pool2d" : "avg_pool2d";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> =>
        layer.GetType() == (max ? typeof(MaxPool2DLayer<T>) : typeof(AvgPool2DLayer<T>));

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pool = (Pool2DLayer<T>)layer;
        WindowConfig.WriteSize(writer, "pool", pool.Pool);
        WindowConfig.WriteSize(writer, "stride", pool.Stride);
        WindowConfig.WritePadding(writer, pool.Padding);
    }

    public LayerPlan Plan(FeatureShape input, JsonSection config)
    {
        WindowGeometry g = WindowConfig.Geometry(config, input, WindowConfig.ReadSize(config, "pool"), WindowConfig.ReadSize(config, "stride"),
            1, WindowConfig.ReadPadding(config), pooling: true);
        return new LayerPlan(WindowConfig.CheckedShape(config, input.Channels, g.OutHeight, g.OutWidth), []);
    }

    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Size2D pool = WindowConfig.ReadSize(config, "pool"), stride = WindowConfig.ReadSize(config, "stride");
        Padding2D padding = WindowConfig.ReadPadding(config);
        return max ? new MaxPool2DLayer<T>(input, pool, stride, padding) : new AvgPool2DLayer<T>(input, pool, stride, padding);
    }
}
