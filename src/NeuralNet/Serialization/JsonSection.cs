using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// A JSON object of a model file's manifest (a layer configuration, the scaler, the root) with typed, range-checked
/// accessors. Every accessor throws <see cref="InvalidDataFileException"/> naming <see cref="Where"/> and the field
/// when the value is missing, of the wrong type or out of range, so a codec reads untrusted input safely.
/// </summary>
/// <param name="element">The JSON value.</param>
/// <param name="where">Where in the file it is, for messages.</param>
public readonly struct JsonSection(JsonElement element, string where)
{
    /// <summary>Where in the file this config is, e.g. <c>layer 2 (dense)</c>.</summary>
    public string Where => where;

    /// <summary>An integer field within <c>[min, max]</c>.</summary>
    /// <param name="name">Field name.</param>
    /// <param name="min">Smallest allowed value.</param>
    /// <param name="max">Largest allowed value.</param>
    /// <exception cref="InvalidDataFileException">Missing, not an integer, or out of range.</exception>
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

    /// <summary>A finite number field within <c>[min, max]</c>.</summary>
    /// <param name="name">Field name.</param>
    /// <param name="min">Smallest allowed value.</param>
    /// <param name="max">Largest allowed value.</param>
    /// <exception cref="InvalidDataFileException">Missing, not a finite number, or out of range.</exception>
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

    /// <summary>A string field.</summary>
    /// <param name="name">Field name.</param>
    /// <exception cref="InvalidDataFileException">Missing or not a string.</exception>
    public string GetString(string name)
    {
        JsonElement value = Get(name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataFileException($"{where}: field '{name}' must be a string, found {Describe(value)}.");
    }

    /// <summary>The raw element (for optional or composite fields).</summary>
    public JsonElement Element => element;

    /// <summary>Whether the field exists and is not null.</summary>
    /// <param name="name">Field name.</param>
    public bool Has(string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>An object field as a section of its own.</summary>
    /// <param name="name">Field name.</param>
    /// <param name="childWhere">Where the child is, for its messages.</param>
    /// <exception cref="InvalidDataFileException">Missing or not an object.</exception>
    public JsonSection GetObject(string name, string childWhere)
    {
        JsonElement value = Get(name);
        return value.ValueKind == JsonValueKind.Object
            ? new JsonSection(value, childWhere)
            : throw new InvalidDataFileException($"{where}: field '{name}' must be an object, found {Describe(value)}.");
    }

    /// <summary>An array field of at most <paramref name="maxLength"/> items.</summary>
    /// <param name="name">Field name.</param>
    /// <param name="maxLength">Most items allowed.</param>
    /// <exception cref="InvalidDataFileException">Missing, not an array, or too long.</exception>
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

    /// <summary>An array field of exactly <paramref name="expectedLength"/> finite numbers.</summary>
    /// <param name="name">Field name.</param>
    /// <param name="expectedLength">The number of values required.</param>
    /// <exception cref="InvalidDataFileException">Missing, the wrong length, or holding a non-number or non-finite value.</exception>
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

    /// <summary>A short description of a JSON value for messages (strings cut at 40 characters).</summary>
    /// <param name="e">The value.</param>
    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(e.GetString()!)}\"",
        JsonValueKind.Number => "the number " + e.GetRawText(),
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
