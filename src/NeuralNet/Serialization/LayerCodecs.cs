using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>A tensor a layer of a given configuration owns: name, trainable or buffer, and shape.</summary>
internal readonly record struct TensorSpec(string Name, bool IsBuffer, int Rows, int Columns)
{
    public long Length => (long)Rows * Columns;
}

/// <summary>What a layer configuration implies, worked out without allocating: its output size and tensors.</summary>
internal readonly record struct LayerPlan(int OutputSize, TensorSpec[] Tensors);

/// <summary>
/// Writes and reads one known layer kind. The file names the kind; the registry maps the name to one of these codecs,
/// which creates a concrete, known type: nothing in a file ever names a .NET type.
/// </summary>
internal interface ILayerCodec
{
    /// <summary>The kind name, as <see cref="Layer{T}.Kind"/> returns it.</summary>
    string Kind { get; }

    /// <summary>Whether <paramref name="layer"/> is exactly the type this codec writes.</summary>
    bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes the layer's configuration (not its tensors) as properties of the current JSON object.</summary>
    void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Validates a configuration and returns what it implies; throws <see cref="InvalidDataFileException"/>.</summary>
    LayerPlan Plan(int inputSize, JsonSection config);

    /// <summary>Creates the layer from a configuration that <see cref="Plan"/> accepted.</summary>
    Layer<T> Create<T>(int inputSize, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>The table of layer kinds a model file may contain. Adding a layer type is one codec and one line here.</summary>
internal static class LayerCodecs
{
    private static readonly Dictionary<string, ILayerCodec> ByKind = new(StringComparer.Ordinal)
    {
        ["dense"] = new DenseCodec(),
        ["dropout"] = new DropoutCodec(),
        ["batchnorm"] = new BatchNormCodec(),
    };

    public static IEnumerable<string> KnownKinds => ByKind.Keys.Order(StringComparer.Ordinal);

    public static ILayerCodec? Find(string kind) => ByKind.GetValueOrDefault(kind);

    /// <summary>The codec that writes <paramref name="layer"/>, or null for a layer type model files do not know.</summary>
    public static ILayerCodec? For<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> =>
        ByKind.TryGetValue(layer.Kind, out ILayerCodec? codec) && codec.Handles(layer) ? codec : null;
}

/// <summary>A JSON object of the manifest (a layer config, the scaler, the root) with typed, range-checked accessors whose errors name the layer and field.</summary>
internal readonly struct JsonSection(JsonElement element, string where)
{
    /// <summary>Where in the file this config is, e.g. <c>layer 2 (dense)</c>.</summary>
    public string Where => where;

    public int GetInt(string name, int min, int max)
    {
        JsonElement value = Get(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long v))
        {
            throw new InvalidDataFileException($"{where}: field '{name}' must be an integer, found {Describe(value)}.");
        }

        if (v < min || v > max)
        {
            throw new InvalidDataFileException($"{where}: field '{name}' is {v}, outside [{min}, {max}].");
        }

        return (int)v;
    }

    public double GetDouble(string name, double min, double max)
    {
        JsonElement value = Get(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double v) || !double.IsFinite(v))
        {
            throw new InvalidDataFileException($"{where}: field '{name}' must be a finite number, found {Describe(value)}.");
        }

        if (v < min || v > max)
        {
            throw new InvalidDataFileException(string.Create(CultureInfo.InvariantCulture, $"{where}: field '{name}' is {v}, outside [{min}, {max}]."));
        }

        return v;
    }

    public string GetString(string name)
    {
        JsonElement value = Get(name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataFileException($"{where}: field '{name}' must be a string, found {Describe(value)}.");
    }

    /// <summary>The raw element (for optional or composite fields).</summary>
    public JsonElement Element => element;

    public bool Has(string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null;

    public JsonSection GetObject(string name, string childWhere)
    {
        JsonElement value = Get(name);
        return value.ValueKind == JsonValueKind.Object
            ? new JsonSection(value, childWhere)
            : throw new InvalidDataFileException($"{where}: field '{name}' must be an object, found {Describe(value)}.");
    }

    public JsonElement GetArray(string name, int maxLength)
    {
        JsonElement value = Get(name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataFileException($"{where}: field '{name}' must be an array, found {Describe(value)}.");
        }

        int length = value.GetArrayLength();
        return length <= maxLength
            ? value
            : throw new InvalidDataFileException($"{where}: field '{name}' has {length} items, more than the {maxLength} allowed.");
    }

    public double[] GetFiniteDoubles(string name, int expectedLength)
    {
        JsonElement array = GetArray(name, expectedLength);
        if (array.GetArrayLength() != expectedLength)
        {
            throw new InvalidDataFileException($"{where}: field '{name}' has {array.GetArrayLength()} values, expected {expectedLength}.");
        }

        var result = new double[expectedLength];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out result[i]) || !double.IsFinite(result[i]))
            {
                throw new InvalidDataFileException($"{where}: field '{name}'[{i}] must be a finite number, found {Describe(item)}.");
            }

            i++;
        }

        return result;
    }

    private JsonElement Get(string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataFileException($"{where}: expected a JSON object, found {Describe(element)}.");
        }

        return element.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new InvalidDataFileException($"{where}: field '{name}' is missing.");
    }

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(e.GetString()!)}\"",
        JsonValueKind.Number => "the number " + e.GetRawText(),
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}

/// <summary><see cref="DenseLayer{T}"/>: config <c>units</c>, <c>activation</c> (an <see cref="IActivation.Name"/>),
/// <c>initializer</c>; tensors <c>W</c> [in x units] and <c>b</c> [1 x units].</summary>
internal sealed class DenseCodec : ILayerCodec
{
    public string Kind => "dense";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(DenseLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = (DenseLayer<T>)layer;
        writer.WriteNumber("units", dense.OutputSize);
        writer.WriteString("activation", dense.Activation.Name);
        writer.WriteString("initializer", dense.WeightInitializer.Name);
    }

    public LayerPlan Plan(int inputSize, JsonSection config)
    {
        int units = config.GetInt("units", 1, ModelFile.MaxWidth);
        Activation(config);
        Initializer(config);
        return new LayerPlan(units, [new TensorSpec("W", false, inputSize, units), new TensorSpec("b", false, 1, units)]);
    }

    public Layer<T> Create<T>(int inputSize, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new DenseLayer<T>(inputSize, config.GetInt("units", 1, ModelFile.MaxWidth), Activation(config), Initializer(config));

    private static IActivation Activation(JsonSection config)
    {
        string name = config.GetString("activation");
        try
        {
            return Activations.Activation.FromName(name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{config.Where}: unknown activation '{name}'. Known activations: {string.Join(", ", Activations.Activation.KnownNames)}.", e);
        }
    }

    private static IInitializer Initializer(JsonSection config)
    {
        string name = config.GetString("initializer");
        try
        {
            return Initializers.Initializer.FromName(name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{config.Where}: unknown initializer '{name}'. Known initializers: {string.Join(", ", Initializers.Initializer.KnownNames)}.", e);
        }
    }
}

/// <summary><see cref="DropoutLayer{T}"/>: config <c>rate</c>; no tensors (its mask source is checkpoint state, not model state).</summary>
internal sealed class DropoutCodec : ILayerCodec
{
    public string Kind => "dropout";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(DropoutLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T> =>
        writer.WriteNumber("rate", ((DropoutLayer<T>)layer).Rate);

    public LayerPlan Plan(int inputSize, JsonSection config)
    {
        Rate(config);
        return new LayerPlan(inputSize, []);
    }

    public Layer<T> Create<T>(int inputSize, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new DropoutLayer<T>(inputSize, Rate(config));

    private static double Rate(JsonSection config)
    {
        double rate = config.GetDouble("rate", 0, 1);
        return rate < 1 ? rate : throw new InvalidDataFileException($"{config.Where}: field 'rate' is 1; a dropout rate must be below 1.");
    }
}

/// <summary><see cref="BatchNormLayer{T}"/>: config <c>momentum</c>, <c>epsilon</c>; parameters <c>gamma</c>, <c>beta</c>
/// and buffers <c>running_mean</c>, <c>running_variance</c>, each [1 x units].</summary>
internal sealed class BatchNormCodec : ILayerCodec
{
    public string Kind => "batchnorm";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(BatchNormLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bn = (BatchNormLayer<T>)layer;
        writer.WriteNumber("momentum", bn.Momentum);
        writer.WriteNumber("epsilon", bn.Epsilon);
    }

    public LayerPlan Plan(int inputSize, JsonSection config)
    {
        Settings(config);
        return new LayerPlan(inputSize,
        [
            new TensorSpec("gamma", false, 1, inputSize),
            new TensorSpec("beta", false, 1, inputSize),
            new TensorSpec("running_mean", true, 1, inputSize),
            new TensorSpec("running_variance", true, 1, inputSize),
        ]);
    }

    public Layer<T> Create<T>(int inputSize, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (momentum, epsilon) = Settings(config);
        return new BatchNormLayer<T>(inputSize, momentum, epsilon);
    }

    private static (double Momentum, double Epsilon) Settings(JsonSection config)
    {
        double momentum = config.GetDouble("momentum", 0, 1);
        double epsilon = config.GetDouble("epsilon", double.Epsilon, 1e6);
        return momentum < 1 ? (momentum, epsilon) : throw new InvalidDataFileException($"{config.Where}: field 'momentum' is 1; it must be below 1.");
    }
}
