using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet;

/// <summary>
/// A feedforward network: its layers run in order. Inputs are <c>[batch x InputSize]</c> matrices (rows are samples),
/// outputs <c>[batch x OutputSize]</c>. Build one with <see cref="NetworkBuilder{T}"/>.
/// </summary>
/// <remarks>
/// <see cref="Predict(Matrix{T})"/> and <see cref="Predict(ReadOnlySpan{T}, Span{T})"/> never touch training buffers and
/// are safe to call from many threads at once, also while another thread trains the network: each prediction then runs
/// wholly between two training steps, so it always sees one complete weight state (a prediction that arrives during a
/// step waits for that step to end; a step waits for the predictions already running). The fit's own flow never
/// waits: the <c>onBatch</c> and progress callbacks run between steps, and a step policy that predicts inside its step
/// sees the weights as it has left them so far. One fit at a time may train a network; a second concurrent fit
/// raises <see cref="InvalidOperationException"/>. <see cref="ComputeGradients(Matrix{T}, Matrix{T}, ILoss)"/> is
/// single-threaded and not guarded.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class Network<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per chunk in batch inference: bounds scratch memory and keeps a chunk's activations in cache.</summary>
    private const int InferenceChunk = 512;

    private readonly Layer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;
    private readonly Parameter<T>[] _buffers;
    private readonly int _maxWidth;
    private T[] _outputGradient = [];
    private ILoss? _fusedFor;
    private ILogitLoss? _fusedLoss;

    /// <summary>Creates a network from layers whose sizes chain; <see cref="NetworkBuilder{T}"/> is the usual way.</summary>
    /// <param name="inputSize">Inputs per sample (a flat input shape, <c>1 x 1 x inputSize</c>).</param>
    /// <param name="layers">At least one layer; each layer's <c>InputSize</c> equals the previous one's <c>OutputSize</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">No layers, or sizes that do not chain.</exception>
    public Network(int inputSize, IEnumerable<Layer<T>> layers)
        : this(FeatureShape.Flat(inputSize), layers)
    {
    }

    /// <summary>Creates a network from layers whose shapes chain.</summary>
    /// <param name="inputShape">The shape of one input sample.</param>
    /// <param name="layers">At least one layer. Each layer's <see cref="Layer{T}.InputShape"/> equals the shape it receives
    /// (the network input or the previous layer's <see cref="Layer{T}.OutputShape"/>); a layer with a flat input shape
    /// accepts any shape of the same size, reading the channel-major row as it is.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="inputShape"/> is not positive.</exception>
    /// <exception cref="ArgumentException">No layers, or shapes that do not chain.</exception>
    public Network(FeatureShape inputShape, IEnumerable<Layer<T>> layers)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        inputShape.Validate(nameof(inputShape));
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        FeatureShape shape = inputShape;
        int maxWidth = inputShape.Size;
        for (int i = 0; i < _layers.Length; i++)
        {
            Layer<T> layer = _layers[i] ?? throw new ArgumentNullException(nameof(layers), $"Layer {i} is null.");
            if (ShapeMismatch(layer, shape) is { } message)
            {
                throw new ArgumentException($"Layer {i} ({layer.Describe()}) {message} from {(i == 0 ? "the network input" : $"layer {i - 1}")}.", nameof(layers));
            }

            shape = layer.OutputShape;
            maxWidth = Math.Max(maxWidth, layer.OutputSize);
        }

        InputShape = inputShape;
        _maxWidth = maxWidth;
        ParameterSet = new ParameterSet<T>(_layers);
        _parameters = [.. ParameterSet.Parameters];
        _buffers = [.. ParameterSet.Buffers];
    }

    /// <summary>Null when <paramref name="layer"/> accepts <paramref name="incoming"/>; otherwise what is wrong, naming
    /// both shapes. A layer with a flat input shape accepts any shape of its size.</summary>
    internal static string? ShapeMismatch(Layer<T> layer, FeatureShape incoming)
    {
        FeatureShape expected = layer.InputShape;
        if (expected.Size != layer.InputSize)
        {
            return $"reports input shape {expected} of {expected.Size} features but InputSize {layer.InputSize}";
        }

        if (layer.OutputShape.Size != layer.OutputSize)
        {
            return $"reports output shape {layer.OutputShape} of {layer.OutputShape.Size} features but OutputSize {layer.OutputSize}";
        }

        if (expected.IsFlat ? expected.Size != incoming.Size : expected != incoming)
        {
            return expected.IsFlat
                ? $"expects {layer.InputSize} inputs but receives {incoming.Size} (shape {incoming})"
                : $"expects input shape {expected} ({expected.Size} features) but receives {incoming} ({incoming.Size} features)";
        }

        return null;
    }

    /// <summary>Inputs per sample, <see cref="InputShape"/>'s size.</summary>
    public int InputSize => InputShape.Size;

    /// <summary>Outputs per sample.</summary>
    public int OutputSize => _layers[^1].OutputSize;

    /// <summary>The shape of one input sample: rows of the input are <c>C·H·W</c> features in channel-major order.</summary>
    public FeatureShape InputShape { get; }

    /// <summary>The shape of one output sample (the last layer's <see cref="Layer{T}.OutputShape"/>).</summary>
    public FeatureShape OutputShape => _layers[^1].OutputShape;

    /// <summary>The flat view of every parameter, gradient and buffer in the order of its
    /// <see cref="ParameterSet{T}.Layout"/>: what optimisers, parameter servers and other engines exchange.</summary>
    public ParameterSet<T> ParameterSet { get; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;

    /// <summary>Every trainable parameter, layer by layer.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount => ParameterSet.Length;

    /// <summary>
    /// One training step's maths on a batch: forward (training mode), loss, backward. Every parameter's
    /// <see cref="Parameter{T}.Gradient"/> then holds <c>dL/dparameter</c> of the batch-mean loss.
    /// </summary>
    /// <param name="input">Inputs <c>[batch x InputSize]</c>.</param>
    /// <param name="target">Targets <c>[batch x loss.ExpectedTargetColumns(OutputSize)]</c>.</param>
    /// <param name="loss">The loss.</param>
    /// <returns>The batch-mean loss.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match the network or each other.</exception>
    public T ComputeGradients(Matrix<T> input, Matrix<T> target, ILoss loss)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(loss);
        CheckInput(input, nameof(input));
        CheckTarget(input, target, loss);
        return ComputeGradients(ThrowHelper.ColumnMajor(input), ThrowHelper.ColumnMajor(target), input.RowCount, loss);
    }

    /// <summary>
    /// <see cref="ComputeGradients(Matrix{T}, Matrix{T}, ILoss)"/> on column-major spans, the allocation-free form the
    /// trainer uses.
    /// </summary>
    /// <param name="input">Inputs <c>[batchSize x InputSize]</c>, column-major.</param>
    /// <param name="target">Targets, column-major.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    /// <param name="loss">The loss.</param>
    /// <returns>The batch-mean loss.</returns>
    /// <exception cref="ArgumentException">Span lengths do not match the batch size.</exception>
    public T ComputeGradients(ReadOnlySpan<T> input, ReadOnlySpan<T> target, int batchSize, ILoss loss) =>
        ComputeGradients(input, target, ReadOnlySpan<T>.Empty, batchSize, loss);

    /// <summary>The training-mode loss of a batch without a backward pass (what a numerical gradient check differentiates).</summary>
    internal T TrainingLoss(ReadOnlySpan<T> input, ReadOnlySpan<T> target, int batchSize, ILoss loss)
    {
        ReadOnlySpan<T> output = ForwardTraining(input, target, batchSize, loss);
        return FusedLoss(loss) is { } fused
            ? fused.ComputeFromLogits(((IFusedOutputLayer<T>)_layers[^1]).PreActivation(batchSize), target, batchSize)
            : loss.Compute(output, target, batchSize);
    }

    /// <summary>The mean loss of a batch in inference mode (dropout off, batch norm on running statistics).</summary>
    /// <param name="input">Inputs <c>[batch x InputSize]</c>.</param>
    /// <param name="target">Targets.</param>
    /// <param name="loss">The loss.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match.</exception>
    public T ComputeLoss(Matrix<T> input, Matrix<T> target, ILoss loss)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(loss);
        CheckTarget(input, target, loss);
        Matrix<T> prediction = Predict(input);
        return loss.Compute<T>(ThrowHelper.ColumnMajor(prediction), ThrowHelper.ColumnMajor(target), input.RowCount);
    }

    /// <summary>Scalars in a snapshot: every parameter, then every buffer (<see cref="ParameterSet{T}.StateLength"/>).</summary>
    internal int SnapshotLength => ParameterSet.StateLength;

    /// <summary>Copies the full state (<see cref="ParameterSet{T}.CopyStateTo"/>) into <paramref name="destination"/>:
    /// what the trainer keeps to undo a step or to restore the best epoch.</summary>
    internal void CopySnapshotTo(Span<T> destination) => ParameterSet.CopyStateTo(destination);

    /// <summary>Restores a snapshot taken by <see cref="CopySnapshotTo"/>.</summary>
    internal void RestoreSnapshot(ReadOnlySpan<T> source) => ParameterSet.SetState(source);

    /// <summary>A readable table of the layers, their output shapes (<c>CxHxW</c> per sample) and parameter counts.</summary>
    public string Summary()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Network<{typeof(T).Name}>: {InputSize} inputs ({InputShape}) -> {OutputSize} outputs");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"#",-3} {"Layer",-36} {"Output shape",-16} {"Parameters",12}");
        for (int i = 0; i < _layers.Length; i++)
        {
            long count = 0;
            foreach (Parameter<T> p in _layers[i].Parameters)
            {
                count += p.Length;
            }

            sb.AppendLine(CultureInfo.InvariantCulture, $"{i,-3} {_layers[i].Describe(),-36} {_layers[i].OutputShape,-16} {count,12:N0}");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Total parameters: {ParameterCount:N0}");
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Network<{typeof(T).Name}>({InputSize} -> {string.Join(" -> ", _layers.Select(l => l.Describe() + ":" + l.OutputSize))}, {ParameterCount} parameters)";

    private ReadOnlySpan<T> ForwardTraining(ReadOnlySpan<T> input, ReadOnlySpan<T> target, int batchSize, ILoss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ThrowHelper.ThrowIfNotPositive(batchSize, nameof(batchSize));
        if (input.Length != batchSize * InputSize)
        {
            throw new ArgumentException($"expected {batchSize}x{InputSize} = {batchSize * InputSize} input values, got {input.Length}.", nameof(input));
        }

        int targetColumns = loss.ExpectedTargetColumns(OutputSize);
        if (target.Length != batchSize * targetColumns)
        {
            throw new ArgumentException($"loss {loss.Name} expects {batchSize}x{targetColumns} = {batchSize * targetColumns} target values, got {target.Length}.", nameof(target));
        }

        ReadOnlySpan<T> current = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            current = _layers[i].Forward(current, batchSize, training: true);
        }

        return current;
    }

    /// <summary>Layer i's input from the last forward pass: the network input, or layer i-1's output buffer.</summary>
    private ReadOnlySpan<T> LayerInput(ReadOnlySpan<T> input, int i, int batchSize) =>
        i == 0 ? input : _layers[i - 1].LastOutput(batchSize);

    private ILogitLoss? FusedLoss(ILoss loss)
    {
        if (!ReferenceEquals(loss, _fusedFor))
        {
            _fusedFor = loss;
            _fusedLoss = loss is ILogitLoss logit && _layers[^1] is IFusedOutputLayer<T> output && logit.FusesWith(output.OutputActivation) ? logit : null;
        }

        return _fusedLoss;
    }

    private void CheckInput(Matrix<T> input, string paramName)
    {
        if (input.ColumnCount != InputSize)
        {
            throw new ArgumentException($"expected {InputSize} input columns, got {input.ColumnCount} (input {ThrowHelper.Shape(input)}).", paramName);
        }

        if (input.RowCount == 0)
        {
            throw new ArgumentException($"input has no rows (input {ThrowHelper.Shape(input)}).", paramName);
        }
    }

    private void CheckTarget(Matrix<T> input, Matrix<T> target, ILoss loss)
    {
        int expected = loss.ExpectedTargetColumns(OutputSize);
        if (target.RowCount != input.RowCount || target.ColumnCount != expected)
        {
            throw new ArgumentException($"expected target [{input.RowCount}x{expected}] for loss {loss.Name} on a network with {OutputSize} outputs, got target {ThrowHelper.Shape(target)} (input {ThrowHelper.Shape(input)}).", nameof(target));
        }
    }

    private static Span<T> Rent(ref T[] buffer, int length) => Kernels.AlignedArrays.Rent(ref buffer, length);

    /// <summary>
    /// <see cref="ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, int, ILoss)"/> with a weight per row (Keras'
    /// <c>sample_weight</c>): the loss is <c>L = 1/B · Σ_b w_b · ℓ_b</c>, where <c>ℓ_b</c> is row b's loss (its mean over
    /// the outputs for element-wise losses), so <c>dL/dŷ_b = w_b · (dL/dŷ_b of the unweighted batch mean)</c>. All weights 1
    /// give the unweighted loss and gradients; an empty <paramref name="rowWeights"/> means unweighted.
    /// </summary>
    /// <param name="input">Inputs <c>[batchSize x InputSize]</c>, column-major.</param>
    /// <param name="target">Targets, column-major.</param>
    /// <param name="rowWeights">Empty, or one weight per row (length <paramref name="batchSize"/>), each finite and non-negative.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    /// <param name="loss">The loss.</param>
    /// <returns>The weighted batch loss <c>1/B · Σ w_b ℓ_b</c>.</returns>
    /// <exception cref="ArgumentException">Span lengths do not match the batch size.</exception>
    public T ComputeGradients(ReadOnlySpan<T> input, ReadOnlySpan<T> target, ReadOnlySpan<T> rowWeights, int batchSize, ILoss loss)
    {
        if (!rowWeights.IsEmpty && rowWeights.Length != batchSize)
        {
            throw new ArgumentException($"expected {batchSize} row weights (one per row), got {rowWeights.Length}.", nameof(rowWeights));
        }

        ReadOnlySpan<T> output = ForwardTraining(input, target, batchSize, loss);
        int n = batchSize * OutputSize;
        Span<T> gradient = Rent(ref _outputGradient, n);
        int last = _layers.Length - 1;
        T value;
        ReadOnlySpan<T> upstream;
        bool preActivation;
        if (FusedLoss(loss) is { } fused)
        {
            var fusedLayer = (IFusedOutputLayer<T>)_layers[last];
            ReadOnlySpan<T> logits = fusedLayer.PreActivation(batchSize);
            fused.GradientFromLogits(output, target, gradient, batchSize);
            value = rowWeights.IsEmpty
                ? fused.ComputeFromLogits(logits, target, batchSize)
                : WeightedLoss.Compute(fused, fromLogits: true, logits, target, rowWeights, batchSize);
            ScaleRows(gradient, rowWeights, batchSize);
            preActivation = true;
        }
        else
        {
            loss.Gradient(output, target, gradient, batchSize);
            value = rowWeights.IsEmpty
                ? loss.Compute(output, target, batchSize)
                : WeightedLoss.Compute(loss, fromLogits: false, output, target, rowWeights, batchSize);
            ScaleRows(gradient, rowWeights, batchSize);
            preActivation = false;
        }

        upstream = gradient;
        for (int i = last; i >= 0; i--)
        {
            upstream = BackwardLayer(i, LayerInput(input, i, batchSize), upstream, preActivation, batchSize, out preActivation);
        }

        return value;
    }

    /// <summary>
    /// Layer <paramref name="i"/>'s backward pass, given <c>dL/dOutput</c> or, when <paramref name="isPreActivation"/>,
    /// <c>dL/dZ</c> (a fused output loss, or a ReLU derivative folded in by the layer above). A dense layer fed by a dense
    /// ReLU layer folds that layer's derivative into its input-gradient product
    /// (<see cref="DenseLayer{T}.BackwardIntoRelu"/>) and hands it <c>dL/dZ</c>; the bits are those of the two separate passes.
    /// </summary>
    private ReadOnlySpan<T> BackwardLayer(int i, ReadOnlySpan<T> layerInput, ReadOnlySpan<T> gradient, bool isPreActivation, int batchSize, out bool nextIsPreActivation)
    {
        Layer<T> layer = _layers[i];
        if (i > 0 && layer is DenseLayer<T> dense && _layers[i - 1] is DenseLayer<T> { Rectifies: true } below)
        {
            nextIsPreActivation = true;
            return dense.BackwardIntoRelu(layerInput, gradient, isPreActivation, batchSize, below.PreActivation(batchSize));
        }

        nextIsPreActivation = false;
        return isPreActivation
            ? ((IFusedOutputLayer<T>)layer).BackwardFromPreActivation(layerInput, gradient, batchSize, i > 0)
            : layer.Backward(layerInput, gradient, batchSize, i > 0);
    }

    /// <summary>g[b, k] *= w[b] for every output k: the gradient of <c>1/B Σ w_b ℓ_b</c> from that of the plain mean.</summary>
    private static void ScaleRows(Span<T> gradient, ReadOnlySpan<T> rowWeights, int batchSize)
    {
        if (rowWeights.IsEmpty)
        {
            return;
        }

        for (int j = 0; j < gradient.Length; j += batchSize)
        {
            Span<T> column = gradient.Slice(j, batchSize);
            System.Numerics.Tensors.TensorPrimitives.Multiply(column, rowWeights, column);
        }
    }
}
