using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>
/// Rosenblatt's perceptron (1958): <c>y_hat = step(w · x + b)</c> with <c>step(s) = 1</c> if <c>s &gt;= 0</c>, else 0,
/// trained sample by sample by the rule <c>w &lt;- w + eta (y - y_hat) x</c>, <c>b &lt;- b + eta (y - y_hat)</c>.
/// It converges on linearly separable data (AND, OR, NAND) and never on XOR.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Perceptron<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _weights;

    /// <summary>Creates a perceptron with zero weights and bias.</summary>
    /// <param name="inputSize">Inputs per sample.</param>
    /// <param name="learningRate">The rule's <c>eta</c> (default 1; any positive value gives the same decisions when
    /// starting from zero).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or the learning rate is not positive.</exception>
    public Perceptron(int inputSize, double learningRate = 1.0)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        ThrowHelper.ThrowIfNotPositive(inputSize, nameof(inputSize));
        ThrowHelper.ThrowIfNotPositive(learningRate, nameof(learningRate));
        _weights = new T[inputSize];
        LearningRate = T.CreateTruncating(learningRate);
    }

    /// <summary>Inputs per sample.</summary>
    public int InputSize => _weights.Length;

    /// <summary>The learning rate <c>eta</c>.</summary>
    public T LearningRate { get; }

    /// <summary>The weights <c>w</c>.</summary>
    public ReadOnlySpan<T> Weights => _weights;

    /// <summary>The bias <c>b</c>.</summary>
    public T Bias { get; private set; }

    /// <summary>Classifies one sample: 1 if <c>w · x + b &gt;= 0</c>, else 0.</summary>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have <see cref="InputSize"/> values.</exception>
    public int Predict(ReadOnlySpan<T> input)
    {
        if (input.Length != InputSize)
        {
            throw new ArgumentException($"expected {InputSize} inputs, got {input.Length}.", nameof(input));
        }

        return Activation(input);
    }

    /// <summary>Classifies every row of <paramref name="inputs"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> does not have <see cref="InputSize"/> columns.</exception>
    public int[] Predict(Matrix<T> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckInputs(inputs);
        var result = new int[inputs.RowCount];
        var row = new T[InputSize];
        for (int r = 0; r < inputs.RowCount; r++)
        {
            CopyRow(inputs, r, row);
            result[r] = Activation(row);
        }

        return result;
    }

    /// <summary>
    /// Trains with the perceptron rule, one pass over the samples per epoch in row order, until an epoch makes no
    /// mistake or <paramref name="maxEpochs"/> is reached. Never throws for data that is not separable: it returns
    /// <c>Converged = false</c>.
    /// </summary>
    /// <param name="inputs">One sample per row, <c>[n x InputSize]</c>.</param>
    /// <param name="labels">The class of each row, 0 or 1.</param>
    /// <param name="maxEpochs">The epoch limit.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes disagree or a label is not 0 or 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEpochs"/> is not positive.</exception>
    public PerceptronTrainingResult Train(Matrix<T> inputs, IReadOnlyList<int> labels, int maxEpochs = 100)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ThrowHelper.ThrowIfNotPositive(maxEpochs, nameof(maxEpochs));
        CheckInputs(inputs);
        if (labels.Count != inputs.RowCount)
        {
            throw new ArgumentException($"expected {inputs.RowCount} labels (one per input row), got {labels.Count}.", nameof(labels));
        }

        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] is not (0 or 1))
            {
                throw new ArgumentException($"labels must be 0 or 1; labels[{i}] = {labels[i]}.", nameof(labels));
            }
        }

        var row = new T[InputSize];
        int errors = 0;
        for (int epoch = 1; epoch <= maxEpochs; epoch++)
        {
            errors = 0;
            for (int r = 0; r < inputs.RowCount; r++)
            {
                CopyRow(inputs, r, row);
                int error = labels[r] - Activation(row);
                if (error != 0)
                {
                    errors++;
                    T step = LearningRate * T.CreateTruncating(error);
                    for (int i = 0; i < row.Length; i++)
                    {
                        _weights[i] += step * row[i];
                    }

                    Bias += step;
                }
            }

            if (errors == 0)
            {
                return new PerceptronTrainingResult(true, epoch, 0);
            }
        }

        return new PerceptronTrainingResult(false, maxEpochs, errors);
    }

    private int Activation(ReadOnlySpan<T> x)
    {
        T s = Bias;
        for (int i = 0; i < x.Length; i++)
        {
            s += _weights[i] * x[i];
        }

        return s >= T.Zero ? 1 : 0;
    }

    private static void CopyRow(Matrix<T> m, int r, T[] row)
    {
        for (int c = 0; c < row.Length; c++)
        {
            row[c] = m[r, c];
        }
    }

    private void CheckInputs(Matrix<T> inputs)
    {
        if (inputs.ColumnCount != InputSize)
        {
            throw new ArgumentException($"expected {InputSize} input columns, got {inputs.ColumnCount} (inputs {ThrowHelper.Shape(inputs)}).", nameof(inputs));
        }
    }
}
