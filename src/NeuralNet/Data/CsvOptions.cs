namespace NeuralNet.Data;

/// <summary>How <see cref="CsvLoader"/> reads a file. The label column is chosen by <see cref="LabelColumn"/> (a header
/// name) or <see cref="LabelColumnIndex"/>; with neither, it is the last column. Every other column is a numeric feature.</summary>
public sealed record CsvOptions
{
    /// <summary>Whether the first record holds column names (default true).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The field separator (default <c>,</c>); must not be a quote, CR or LF.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Name of the label column in the header (needs <see cref="HasHeader"/>).</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Zero-based index of the label column; negative counts from the end (-1 is the last).</summary>
    public int? LabelColumnIndex { get; init; }

    /// <summary>Whether one column is the label (default true). Set false for files of features only (data to predict
    /// on): every column is then a feature, <see cref="CsvTable{T}.Labels"/> is empty and <see cref="CsvTable{T}.LabelName"/>
    /// is <c>""</c>. Without this, the last feature of such a file would silently become the label.</summary>
    public bool HasLabelColumn { get; init; } = true;

    /// <summary>The longest record accepted, in characters (default 1,048,576 = 1 Mi): one line, or several when a
    /// quoted field holds line breaks, counting delimiters and quotes. A longer record raises
    /// <see cref="InvalidDataFileException"/> naming its line as soon as the limit is passed, so a record never takes
    /// more than about <c>4 x MaxLineLength</c> bytes of memory (UTF-16 text, in the field buffer and its strings),
    /// however long the line in the file is.</summary>
    public int MaxLineLength { get; init; } = DefaultMaxLineLength;

    /// <summary>The default of <see cref="MaxLineLength"/>.</summary>
    public const int DefaultMaxLineLength = 1 << 20;

    /// <summary>Throws when the options contradict each other.</summary>
    /// <exception cref="ArgumentException">A bad delimiter, both label selectors, a label name without a header, or a label
    /// selector with <see cref="HasLabelColumn"/> false.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxLineLength"/> is not positive.</exception>
    internal void Validate()
    {
        ThrowHelper.ThrowIfNotPositive(MaxLineLength, nameof(MaxLineLength));

        if (Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"Delimiter cannot be a quote or a line break. Received: Delimiter='{Delimiter}'", nameof(Delimiter));
        }

        if (LabelColumn is not null && LabelColumnIndex is not null)
        {
            throw new ArgumentException($"Give LabelColumn or LabelColumnIndex, not both. Received: LabelColumn='{LabelColumn}', LabelColumnIndex={LabelColumnIndex}", nameof(LabelColumn));
        }

        if (!HasLabelColumn && (LabelColumn is not null || LabelColumnIndex is not null))
        {
            throw new ArgumentException($"HasLabelColumn is false but a label column is chosen (LabelColumn='{LabelColumn}', LabelColumnIndex={LabelColumnIndex}).", nameof(HasLabelColumn));
        }

        if (LabelColumn is not null && !HasHeader)
        {
            throw new ArgumentException($"LabelColumn='{LabelColumn}' names a header column but HasHeader is false.", nameof(LabelColumn));
        }
    }
}
