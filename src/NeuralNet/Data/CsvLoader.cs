using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.IO;

namespace NeuralNet.Data;

/// <summary>
/// Reads numeric CSV files (RFC 4180 quoting: fields in double quotes may hold the delimiter, line breaks and
/// doubled quotes <c>""</c>). One column is the label, kept as text; every other column must hold a finite number
/// in invariant culture. Gzip files are recognised from their content.
/// </summary>
/// <remarks>
/// Every problem in the content raises <see cref="InvalidDataFileException"/> naming the line (1-based) and the column
/// (header name and 0-based index): an empty, <c>NA</c>, <c>NaN</c> or <c>?</c> field is a missing value; any other
/// text that is not a number is non-numeric; a row with a different field count is ragged; an unterminated quote
/// is reported with the line where it opened; a record (one line, or several when a quoted field holds line
/// breaks) longer than <see cref="CsvOptions.MaxLineLength"/> characters is rejected as soon as the limit is passed,
/// so the memory a record takes is bounded by that limit whatever the file holds.
/// </remarks>
public static class CsvLoader
{
    /// <summary>Reads a CSV file.</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <param name="options">How to read it; defaults when null.</param>
    /// <remarks>A gzip file must hold exactly one gzip member and is checked to the end (the trailer's CRC-32 and
    /// length) before anything is returned: a truncated file, bytes after the member and corrupt data raise
    /// <see cref="InvalidDataFileException"/>, never a partial table.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory, or the options contradict each other.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">The content is malformed (see the class remarks), or the gzip data is
    /// truncated, corrupt or followed by other bytes.</exception>
    public static CsvTable<T> Load<T>(string path, CsvOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        FileStream file = FilePath.OpenRead(path, nameof(path));
        using Stream stream = GzipReadStream.OpenMaybeCompressed(file, Path.GetFileName(path));
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

        // The parser reads to the end of the text before it returns, and the gzip stream checks its trailer there.
        return Load<T>(reader, Path.GetFileName(path), options);
    }

    /// <summary>Reads CSV text from a reader.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="sourceName">Name used in error messages.</param>
    /// <param name="options">How to read it; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="sourceName"/> is null.</exception>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="InvalidDataFileException">The content is malformed (see the class remarks).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="CsvOptions.MaxLineLength"/> is not positive.</exception>
    public static CsvTable<T> Load<T>(TextReader reader, string sourceName, CsvOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        ThrowHelper.ThrowIfUnsupportedType<T>();
        options ??= new CsvOptions();
        options.Validate();
        var parser = new Parser(reader, options.Delimiter, sourceName, options.MaxLineLength);

        List<string>? first = parser.Next(out int firstLine);
        if (first is null)
        {
            throw new InvalidDataFileException($"{sourceName}: the file is empty.");
        }

        int columns = first.Count;
        string[] names;
        if (options.HasHeader)
        {
            names = first.Select(n => n.Trim()).ToArray();
            first = null;
        }
        else
        {
            names = Enumerable.Range(0, columns).Select(i => "column" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        }

        if (columns < (options.HasLabelColumn ? 2 : 1))
        {
            throw new InvalidDataFileException($"{sourceName}, line {firstLine}: found {columns} column; a data file needs at least one feature column and a label column.");
        }

        // Without a label column every column is a feature and label = -1 matches none.
        int label = options.HasLabelColumn ? LabelIndex(options, names, sourceName) : -1;
        int featureColumns = label >= 0 ? columns - 1 : columns;
        var featureValues = new List<double>[featureColumns];
        for (int j = 0; j < featureValues.Length; j++)
        {
            featureValues[j] = [];
        }

        var labels = new List<string>();
        var labelLines = new List<int>();
        List<string>? record = first;
        int line = firstLine;
        if (record is null)
        {
            record = parser.Next(out line);
        }

        while (record is not null)
        {
            if (record.Count != columns)
            {
                throw new InvalidDataFileException($"{sourceName}, line {line}: expected {columns} fields (as in line {firstLine}), found {record.Count}.");
            }

            int f = 0;
            for (int j = 0; j < columns; j++)
            {
                string text = record[j].Trim();
                if (j == label)
                {
                    if (IsMissing(text))
                    {
                        throw new InvalidDataFileException($"{sourceName}, line {line}, column '{names[j]}' (index {j}): missing label.");
                    }

                    labels.Add(text);
                    labelLines.Add(line);
                    continue;
                }

                featureValues[f++].Add(ParseNumber(text, sourceName, line, names[j], j));
            }

            record = parser.Next(out line);
        }

        int rows = featureValues[0].Count;
        if (rows == 0)
        {
            throw new InvalidDataFileException($"{sourceName}: no data rows after the header.");
        }

        var values = new T[rows * featureColumns];
        for (int j = 0; j < featureValues.Length; j++)
        {
            List<double> column = featureValues[j];
            for (int i = 0; i < rows; i++)
            {
                values[j * rows + i] = T.CreateChecked(column[i]);
            }
        }

        string[] featureNames = names.Where((_, j) => j != label).ToArray();
        return new CsvTable<T>(sourceName, Matrix<T>.Build.Dense(rows, featureColumns, values), featureNames, label >= 0 ? names[label] : "", labels.ToArray(), labelLines.ToArray());
    }

    private static int LabelIndex(CsvOptions options, string[] names, string source)
    {
        if (options.LabelColumn is { } name)
        {
            int found = Array.IndexOf(names, name);
            return found >= 0
                ? found
                : throw new ArgumentException($"{source} has no column named '{name}'; its columns are {string.Join(", ", names.Select(n => "'" + n + "'"))}.", nameof(options));
        }

        int index = options.LabelColumnIndex ?? -1;
        int resolved = index < 0 ? names.Length + index : index;
        if (resolved < 0 || resolved >= names.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(options), index, $"LabelColumnIndex={index} is outside the {names.Length} columns of {source}.");
        }

        return resolved;
    }

    private static bool IsMissing(string text) =>
        text.Length == 0 || text is "?" || text.Equals("NA", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase)
        || text.Equals("null", StringComparison.OrdinalIgnoreCase);

    private static double ParseNumber(string text, string source, int line, string column, int index)
    {
        if (IsMissing(text))
        {
            throw new InvalidDataFileException($"{source}, line {line}, column '{column}' (index {index}): missing value ('{text}'); fill or drop missing values before loading.");
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new InvalidDataFileException($"{source}, line {line}, column '{column}' (index {index}): '{text}' is not a number.");
        }

        if (!double.IsFinite(value))
        {
            throw new InvalidDataFileException($"{source}, line {line}, column '{column}' (index {index}): '{text}' is not a finite number.");
        }

        return value;
    }

    /// <summary>RFC 4180 record reader that counts lines.</summary>
    private sealed class Parser(TextReader reader, char delimiter, string source, int maxLineLength)
    {
        private readonly StringBuilder _field = new();
        private int _line = 1;

        /// <summary>Characters of the current record consumed so far (fields, delimiters, quotes, inner line breaks).</summary>
        private int _recordLength;
        private int _recordLine;

        /// <summary>The next non-blank record and the line it starts on, or null at the end.</summary>
        public List<string>? Next(out int startLine)
        {
            while (true)
            {
                startLine = _line;
                int c = reader.Peek();
                if (c < 0)
                {
                    return null;
                }

                if (c is '\r' or '\n')
                {
                    ConsumeLineBreak();
                    continue;
                }

                return ReadRecord(startLine);
            }
        }

        private List<string> ReadRecord(int startLine)
        {
            _recordLength = 0;
            _recordLine = startLine;
            var fields = new List<string>();
            while (true)
            {
                _field.Clear();
                int c = reader.Peek();
                if (c == '"')
                {
                    Take();
                    int quoteLine = _line;
                    while (true)
                    {
                        int q = Take();
                        if (q < 0)
                        {
                            throw new InvalidDataFileException($"{source}, line {quoteLine}, field {fields.Count}: unterminated quoted field (the file ends inside it).");
                        }

                        if (q == '"')
                        {
                            if (reader.Peek() == '"')
                            {
                                Take();
                                _field.Append('"');
                                continue;
                            }

                            break;
                        }

                        if (q == '\n')
                        {
                            _line++;
                        }

                        _field.Append((char)q);
                    }

                    int after = reader.Peek();
                    if (after >= 0 && after != delimiter && after != '\r' && after != '\n')
                    {
                        throw new InvalidDataFileException($"{source}, line {_line}, field {fields.Count}: unexpected character '{(char)after}' after a closing quote.");
                    }
                }
                else
                {
                    while (true)
                    {
                        int p = reader.Peek();
                        if (p < 0 || p == delimiter || p == '\r' || p == '\n')
                        {
                            break;
                        }

                        if (p == '"')
                        {
                            throw new InvalidDataFileException($"{source}, line {_line}, field {fields.Count}: a quote inside an unquoted field; quote the whole field and double the inner quotes.");
                        }

                        _field.Append((char)Take());
                    }
                }

                fields.Add(_field.ToString());
                int next = reader.Peek();
                if (next == delimiter)
                {
                    Take();
                    continue;
                }

                if (next >= 0)
                {
                    ConsumeLineBreak();
                }

                return fields;
            }
        }

        /// <summary>Consumes one character of the current record, enforcing the line-length limit.</summary>
        private int Take()
        {
            if (++_recordLength > maxLineLength)
            {
                throw new InvalidDataFileException($"{source}, line {_recordLine}: the record is longer than {maxLineLength:N0} characters (CsvOptions.MaxLineLength); raise the limit if the file is valid.");
            }

            return reader.Read();
        }

        private void ConsumeLineBreak()
        {
            if (reader.Read() == '\r' && reader.Peek() == '\n')
            {
                reader.Read();
            }

            _line++;
        }
    }
}
