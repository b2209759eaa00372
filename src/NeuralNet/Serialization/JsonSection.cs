using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

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
