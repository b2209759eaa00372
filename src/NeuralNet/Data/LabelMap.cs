using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// The classes of a classification problem: maps label text to indices <c>0..Count-1</c> and back, and one-hot encodes.
/// A model file stores <see cref="ClassNames"/> so predictions can be reported by name.
/// </summary>
public sealed class LabelMap
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a map whose class <c>i</c> is <c>classNames[i]</c>.</summary>
    /// <param name="classNames">Distinct names, at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="classNames"/> or a name is null.</exception>
    /// <exception cref="ArgumentException">No names, or a name appears twice.</exception>
    public LabelMap(IEnumerable<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        _names = classNames.ToArray();
        if (_names.Length == 0)
        {
            throw new ArgumentException("A label map needs at least one class.", nameof(classNames));
        }

        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _names.Length; i++)
        {
            string name = _names[i] ?? throw new ArgumentNullException(nameof(classNames), $"Class name {i} is null.");
            if (!_index.TryAdd(name, i))
            {
                throw new ArgumentException($"Class name '{name}' appears twice (at {_index[name]} and {i}).", nameof(classNames));
            }
        }
    }

    /// <summary>The class names; class <c>i</c> is <c>ClassNames[i]</c>.</summary>
    public IReadOnlyList<string> ClassNames => _names;

    /// <summary>Number of classes.</summary>
    public int Count => _names.Length;

    /// <summary>
    /// Learns the classes from training labels: the distinct values, in numeric order when every label is a number
    /// (so <c>"2"</c> comes before <c>"10"</c>), in ordinal string order otherwise.
    /// </summary>
    /// <param name="labels">The training labels.</param>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> or a label is null.</exception>
    /// <exception cref="ArgumentException">No labels.</exception>
    public static LabelMap Fit(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (string label in labels)
        {
            distinct.Add(label ?? throw new ArgumentNullException(nameof(labels), "A label is null."));
        }

        if (distinct.Count == 0)
        {
            throw new ArgumentException("Cannot fit a label map on no labels.", nameof(labels));
        }

        string[] names = distinct.ToArray();
        bool numeric = names.All(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        Array.Sort(names, numeric
            ? (a, b) => double.Parse(a, CultureInfo.InvariantCulture).CompareTo(double.Parse(b, CultureInfo.InvariantCulture)) is var c && c != 0 ? c : string.CompareOrdinal(a, b)
            : string.CompareOrdinal);
        return new LabelMap(names);
    }

    /// <summary>The index of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is not a class of this map.</exception>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _index.TryGetValue(name, out int i) ? i : throw new ArgumentException($"'{name}' is not one of the {Count} classes ({string.Join(", ", _names.Take(20))}{(Count > 20 ? ", ..." : "")}).", nameof(name));
    }

    /// <summary>The index of <paramref name="name"/>, or -1.</summary>
    internal int TryGetIndex(string name) => _index.TryGetValue(name, out int i) ? i : -1;

    /// <summary>The name of class <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside <c>[0, Count)</c>.</exception>
    public string NameOf(int index) =>
        (uint)index < (uint)_names.Length ? _names[index] : throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Count}). Received: index={index}");

    /// <summary>Encodes labels as class indices.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">A label is not a class of this map.</exception>
    public int[] Encode(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var result = new int[labels.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = IndexOf(labels[i]);
        }

        return result;
    }

    /// <summary>One-hot rows for class indices: <c>[indices.Length x Count]</c>, row <c>i</c> has a 1 in column <c>indices[i]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <c>[0, Count)</c>.</exception>
    public Matrix<T> OneHot<T>(ReadOnlySpan<int> indices) where T : unmanaged, IFloatingPointIeee754<T> => OneHot<T>(indices, Count);

    /// <summary>One-hot rows for class indices: <c>[indices.Length x classCount]</c>.</summary>
    /// <param name="indices">Class indices.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive or an index is outside <c>[0, classCount)</c>.</exception>
    public static Matrix<T> OneHot<T>(ReadOnlySpan<int> indices, int classCount) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfNotPositive(classCount, nameof(classCount));
        int n = indices.Length;
        var values = new T[n * classCount];
        for (int i = 0; i < n; i++)
        {
            int c = indices[i];
            if ((uint)c >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), c, $"class index {c} at position {i} is outside [0, {classCount}).");
            }

            values[c * n + i] = T.One;
        }

        return Matrix<T>.Build.Dense(n, classCount, values);
    }
}
