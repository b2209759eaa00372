using System.Globalization;

namespace NeuralNet;

/// <summary>A parsed <c>name(key=value, ...)</c> string, as activations and losses write their names.</summary>
internal sealed class NameSpec
{
    private readonly Dictionary<string, double> _values;

    private NameSpec(string baseName, Dictionary<string, double> values)
    {
        BaseName = baseName;
        _values = values;
    }

    public string BaseName { get; }

    public double Get(string key, double fallback) => _values.TryGetValue(key, out double v) ? v : fallback;

    public static NameSpec Parse(string text, string paramName)
    {
        string trimmed = text.Trim();
        int open = trimmed.IndexOf('(');
        var values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (open < 0)
        {
            return new NameSpec(trimmed, values);
        }

        if (!trimmed.EndsWith(')'))
        {
            throw new ArgumentException($"Malformed name '{text}': expected name(key=value, ...).", paramName);
        }

        string inner = trimmed[(open + 1)..^1];
        foreach (string part in inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0 || !double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new ArgumentException($"Malformed parameter '{part}' in '{text}': expected key=number.", paramName);
            }

            values[part[..eq].Trim()] = value;
        }

        return new NameSpec(trimmed[..open].Trim(), values);
    }
}
