using System.Text.Json;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// The configuration fields shared by the 2-D window layers' codecs: a size as <c>{name}_height</c> and
/// <c>{name}_width</c>; padding as <c>padding</c> = <c>"valid"</c>, <c>"same"</c> or <c>"explicit"</c> with
/// <c>pad_top</c>, <c>pad_bottom</c>, <c>pad_left</c>, <c>pad_right</c>. Every value is range-checked before use.
/// </summary>
internal static class WindowConfig
{
    /// <summary>Largest kernel side, stride, dilation or padding a file may hold (keeps every product far from overflow).</summary>
    public const int MaxSide = 4096;

    public static void WriteSize(Utf8JsonWriter writer, string name, Size2D size)
    {
        writer.WriteNumber(name + "_height", size.Height);
        writer.WriteNumber(name + "_width", size.Width);
    }

    public static Size2D ReadSize(JsonSection config, string name) =>
        new(config.GetInt(name + "_height", 1, MaxSide), config.GetInt(name + "_width", 1, MaxSide));

    public static void WritePadding(Utf8JsonWriter writer, Padding2D padding)
    {
        if (padding.IsSame)
        {
            writer.WriteString("padding", "same");
            return;
        }

        if (padding == Padding2D.Valid)
        {
            writer.WriteString("padding", "valid");
            return;
        }

        writer.WriteString("padding", "explicit");
        writer.WriteNumber("pad_top", padding.Top);
        writer.WriteNumber("pad_bottom", padding.Bottom);
        writer.WriteNumber("pad_left", padding.Left);
        writer.WriteNumber("pad_right", padding.Right);
    }

    public static Padding2D ReadPadding(JsonSection config) => config.GetString("padding") switch
    {
        "valid" => Padding2D.Valid,
        "same" => Padding2D.Same,
        "explicit" => Padding2D.Explicit(
            config.GetInt("pad_top", 0, MaxSide), config.GetInt("pad_bottom", 0, MaxSide),
            config.GetInt("pad_left", 0, MaxSide), config.GetInt("pad_right", 0, MaxSide)),
        string other => throw new InvalidDataFileException($"{config.Where}: field 'padding' is \"{(other.Length <= 40 ? other : other[..40] + "...")}\"; expected \"valid\", \"same\" or \"explicit\"."),
    };

    public static bool ReadBool(JsonSection config, string name)
    {
        if (!config.Has(name) || config.Element.GetProperty(name).ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new InvalidDataFileException($"{config.Where}: field '{name}' must be true or false.");
        }

        return config.Element.GetProperty(name).GetBoolean();
    }

    /// <summary>The windows on <paramref name="input"/>, or an <see cref="InvalidDataFileException"/> when they do not fit
    /// or (for pooling) padding covers a whole window.</summary>
    public static WindowGeometry Geometry(JsonSection config, FeatureShape input, Size2D kernel, Size2D stride, Size2D dilation, Padding2D padding, bool pooling)
    {
        try
        {
            var geometry = new WindowGeometry(input, kernel, stride, dilation, padding, config.Where);
            if (pooling)
            {
                geometry.ThrowIfPaddingCoversWindow(padding, config.Where);
            }

            return geometry;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{config.Where}: {e.Message}", e);
        }
    }

    /// <summary>A shape's size, or an <see cref="InvalidDataFileException"/> above the model file's width limit.</summary>
    public static FeatureShape CheckedShape(JsonSection config, long channels, int height, int width)
    {
        long size = channels * height * width;
        if (size > ModelFile.MaxWidth)
        {
            throw new InvalidDataFileException($"{config.Where}: the output {channels}x{height}x{width} has {size} features, more than the {ModelFile.MaxWidth} allowed.");
        }

        return new FeatureShape((int)channels, height, width);
    }
}
