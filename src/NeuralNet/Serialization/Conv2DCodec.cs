using System.Numerics;
using System.Text.Json;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary><see cref="Conv2DLayer{T}"/>: config <c>filters</c>, <c>kernel_*</c>, <c>stride_*</c>, <c>dilation_*</c>,
/// padding (see <see cref="WindowConfig"/>), <c>use_bias</c>, <c>activation</c>, <c>initializer</c>; tensors
/// <c>W</c> <c>[C·KH·KW x filters]</c> (PyTorch's <c>[filters, C, KH, KW]</c> memory) and, with a bias, <c>b</c> <c>[1 x filters]</c>.</summary>
internal sealed class Conv2DCodec : ILayerCodec
{
    public string Kind => "conv2d";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(Conv2DLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var conv = (Conv2DLayer<T>)layer;
        writer.WriteNumber("filters", conv.Filters);
        WindowConfig.WriteSize(writer, "kernel", conv.Kernel);
        WindowConfig.WriteSize(writer, "stride", conv.Stride);
        WindowConfig.WriteSize(writer, "dilation", conv.Dilation);
        WindowConfig.WritePadding(writer, conv.Padding);
        writer.WriteBoolean("use_bias", conv.UseBias);
        writer.WriteString("activation", conv.Activation.Name);
        writer.WriteString("initializer", conv.WeightInitializer.Name);
    }

    public LayerPlan Plan(FeatureShape input, JsonSection config)
    {
        int filters = config.GetInt("filters", 1, ModelFile.MaxWidth);
        Size2D kernel = WindowConfig.ReadSize(config, "kernel");
        WindowGeometry g = WindowConfig.Geometry(config, input, kernel, WindowConfig.ReadSize(config, "stride"),
            WindowConfig.ReadSize(config, "dilation"), WindowConfig.ReadPadding(config), pooling: false);
        bool useBias = WindowConfig.ReadBool(config, "use_bias");
        DenseCodec.Activation(config);
        DenseCodec.Initializer(config);
        long rows = (long)input.Channels * g.Taps;
        if (rows > ModelFile.MaxWidth)
        {
            throw new InvalidDataFileException($"{config.Where}: the weights have {rows} rows (channels x kernel), more than the {ModelFile.MaxWidth} allowed.");
        }

        FeatureShape output = WindowConfig.CheckedShape(config, filters, g.OutHeight, g.OutWidth);
        TensorSpec[] tensors = useBias
            ? [new TensorSpec("W", false, (int)rows, filters), new TensorSpec("b", false, 1, filters)]
            : [new TensorSpec("W", false, (int)rows, filters)];
        return new LayerPlan(output, tensors);
    }

    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new Conv2DLayer<T>(input, config.GetInt("filters", 1, ModelFile.MaxWidth), WindowConfig.ReadSize(config, "kernel"),
            WindowConfig.ReadSize(config, "stride"), WindowConfig.ReadPadding(config), WindowConfig.ReadSize(config, "dilation"),
            DenseCodec.Activation(config), WindowConfig.ReadBool(config, "use_bias"), DenseCodec.Initializer(config));
}
