using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NeuralNet.Layers;

/// <summary>
/// A flat view of a network's tensors in the order of its <see cref="ParameterLayout"/>: values, gradients and the full
/// state (values then buffers) copied to and from one span, and the whole-network operations the training loop needs
/// (gradient norm and clipping, L2, finiteness). Nothing is copied until asked: the tensors stay in their layers.
/// </summary>
/// <remarks>Every method is allocation-free; none is thread-safe against training the same network.</remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ParameterSet<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly Parameter<T>[] _buffers;

    /// <summary>The flat view of a list of tensors that belong to no network (an optimiser's or a parameter server's
    /// own copy): segment names are <c>{index}.{name}</c> and <see cref="ParameterSegment.Layer"/> is the index.</summary>
    /// <param name="parameters">Trainable tensors, in flat order.</param>
    /// <param name="buffers">Non-trainable tensors that follow them in a state; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or an item is null.</exception>
    public ParameterSet(IReadOnlyList<Parameter<T>> parameters, IReadOnlyList<Parameter<T>>? buffers = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        _buffers = buffers is null ? [] : [.. buffers];
        var tensors = new List<(int Layer, Parameter<T> Tensor, bool IsBuffer)>(_parameters.Length + _buffers.Length);
        for (int i = 0; i < _parameters.Length + _buffers.Length; i++)
        {
            bool buffer = i >= _parameters.Length;
            Parameter<T> p = (buffer ? _buffers[i - _parameters.Length] : _parameters[i])
                ?? throw new ArgumentNullException(buffer ? nameof(buffers) : nameof(parameters), $"Tensor {i} is null.");
            tensors.Add((i, p, buffer));
        }

        Layout = ParameterLayout.Of(tensors);
    }

    /// <summary>The flat view of <paramref name="layers"/>' tensors.</summary>
    internal ParameterSet(IReadOnlyList<Layer<T>> layers)
    {
        Layout = ParameterLayout.Of(layers);
        var parameters = new List<Parameter<T>>();
        var buffers = new List<Parameter<T>>();
        foreach (Layer<T> layer in layers)
        {
            parameters.AddRange(layer.Parameters);
            buffers.AddRange(layer.Buffers);
        }

        _parameters = [.. parameters];
        _buffers = [.. buffers];
    }

    /// <summary>Names, shapes and offsets of the tensors.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Trainable scalars (<see cref="ParameterLayout.ParameterLength"/>).</summary>
    public int Length => Layout.ParameterLength;

    /// <summary>Trainable plus buffer scalars (<see cref="ParameterLayout.StateLength"/>).</summary>
    public int StateLength => Layout.StateLength;

    /// <summary>The trainable tensors in flat order, as <see cref="Optimizers.IOptimizer.Step{T}"/> takes them.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>The buffers in flat order.</summary>
    public IReadOnlyList<Parameter<T>> Buffers => _buffers;

    /// <summary>Copies every trainable value into <paramref name="destination"/>, converting when
    /// <typeparamref name="TDestination"/> is not <typeparamref name="T"/> (float to double is exact).</summary>
    /// <param name="destination">At least <see cref="Length"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyValuesTo<TDestination>(Span<TDestination> destination) where TDestination : unmanaged, INumberBase<TDestination> =>
        Gather(_parameters, gradients: false, destination, Length, nameof(destination));

    /// <summary>Sets every trainable value from <paramref name="source"/> (rounded to nearest when narrowing).</summary>
    /// <param name="source">At least <see cref="Length"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> is too short.</exception>
    public void SetValues<TSource>(ReadOnlySpan<TSource> source) where TSource : unmanaged, INumberBase<TSource> =>
        Scatter(_parameters, gradients: false, source, Length, nameof(source));

    /// <summary>Copies every gradient into <paramref name="destination"/>, converting like <see cref="CopyValuesTo{TDestination}"/>.</summary>
    /// <param name="destination">At least <see cref="Length"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyGradientsTo<TDestination>(Span<TDestination> destination) where TDestination : unmanaged, INumberBase<TDestination> =>
        Gather(_parameters, gradients: true, destination, Length, nameof(destination));

    /// <summary>Sets every gradient from <paramref name="source"/>.</summary>
    /// <param name="source">At least <see cref="Length"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> is too short.</exception>
    public void SetGradients<TSource>(ReadOnlySpan<TSource> source) where TSource : unmanaged, INumberBase<TSource> =>
        Scatter(_parameters, gradients: true, source, Length, nameof(source));

    /// <summary>Copies every value and then every buffer (the full state) into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="StateLength"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyStateTo(Span<T> destination)
    {
        CheckLength(destination.Length, StateLength, nameof(destination));
        Gather(_parameters, gradients: false, destination, Length, nameof(destination));
        Gather(_buffers, gradients: false, destination[Length..], StateLength - Length, nameof(destination));
    }

    /// <summary>Restores a state written by <see cref="CopyStateTo"/>.</summary>
    /// <param name="source">At least <see cref="StateLength"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> is too short.</exception>
    public void SetState(ReadOnlySpan<T> source)
    {
        CheckLength(source.Length, StateLength, nameof(source));
        Scatter(_parameters, gradients: false, source, Length, nameof(source));
        Scatter(_buffers, gradients: false, source[Length..], StateLength - Length, nameof(source));
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ClearGradients()
    {
        foreach (Parameter<T> p in _parameters)
        {
            p.Gradient.Clear();
        }
    }

    /// <summary><c>g ← g + scale · source</c> over the flat gradient.</summary>
    /// <param name="source">At least <see cref="Length"/> values.</param>
    /// <param name="scale">The factor applied to <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> is too short.</exception>
    public void AddGradients(ReadOnlySpan<T> source, T scale)
    {
        CheckLength(source.Length, Length, nameof(source));
        int offset = 0;
        foreach (Parameter<T> p in _parameters)
        {
            TensorPrimitives.MultiplyAdd(source.Slice(offset, p.Length), scale, p.Gradient, p.Gradient);
            offset += p.Length;
        }
    }

    /// <summary><c>g ← factor · g</c>.</summary>
    /// <param name="factor">The factor.</param>
    public void ScaleGradients(T factor)
    {
        foreach (Parameter<T> p in _parameters)
        {
            TensorPrimitives.Multiply(p.Gradient, factor, p.Gradient);
        }
    }

    /// <summary>The global L2 norm of the gradient, <c>‖g‖ = √(Σ g²)</c>, summed per tensor in double.</summary>
    public double GradientNorm()
    {
        double norm2 = 0;
        foreach (Parameter<T> p in _parameters)
        {
            norm2 += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(p.Gradient));
        }

        return Math.Sqrt(norm2);
    }

    /// <summary>Global-norm clipping: <c>g ← g · c / ‖g‖</c> when <c>‖g‖ &gt; c</c>, all tensors together.</summary>
    /// <param name="maxNorm">The bound <c>c</c>, positive.</param>
    /// <returns>Whether the gradient was scaled.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public bool ClipGradients(double maxNorm)
    {
        ThrowHelper.ThrowIfNotPositive(maxNorm, nameof(maxNorm));
        double norm = GradientNorm();
        if (!(norm > maxNorm))
        {
            return false;
        }

        ScaleGradients(T.CreateTruncating(maxNorm / norm));
        return true;
    }

    /// <summary>Whether every trainable value is finite.</summary>
    public bool ValuesFinite()
    {
        foreach (Parameter<T> p in _parameters)
        {
            // MaxMagnitude is NaN when any value is NaN, infinite when any is infinite.
            if (!T.IsFinite(TensorPrimitives.MaxMagnitude<T>(p.Value)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds the L2 term to the gradients of the regularised tensors, <c>g ← g + λ w</c>, and returns the
    /// penalty <c>λ/2 · Σ w²</c> (accumulated in <typeparamref name="T"/>, as the loss is).</summary>
    /// <param name="lambda">The coefficient <c>λ</c>.</param>
    public T AddL2(T lambda)
    {
        T sum = T.Zero;
        foreach (Parameter<T> p in _parameters)
        {
            if (p.IsRegularized)
            {
                sum += TensorPrimitives.SumOfSquares<T>(p.Value);
                TensorPrimitives.MultiplyAdd(p.Value, lambda, p.Gradient, p.Gradient);
            }
        }

        return lambda * sum / T.CreateTruncating(2);
    }

    /// <summary>The L2 penalty <c>λ/2 · Σ w²</c> over the regularised tensors, summed per tensor in double.</summary>
    /// <param name="lambda">The coefficient <c>λ</c>; 0 gives 0.</param>
    public double L2Penalty(double lambda)
    {
        if (lambda == 0)
        {
            return 0;
        }

        double sum = 0;
        foreach (Parameter<T> p in _parameters)
        {
            if (p.IsRegularized)
            {
                sum += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(p.Value));
            }
        }

        return lambda * sum / 2;
    }

    private static void Gather<TDestination>(Parameter<T>[] tensors, bool gradients, Span<TDestination> destination, int length, string paramName)
        where TDestination : unmanaged, INumberBase<TDestination>
    {
        CheckLength(destination.Length, length, paramName);
        int offset = 0;
        foreach (Parameter<T> p in tensors)
        {
            ReadOnlySpan<T> source = gradients ? p.Gradient : p.Value;
            Span<TDestination> target = destination.Slice(offset, p.Length);
            if (typeof(TDestination) == typeof(T))
            {
                source.CopyTo(MemoryMarshal.Cast<TDestination, T>(target));
            }
            else
            {
                for (int i = 0; i < source.Length; i++)
                {
                    target[i] = TDestination.CreateTruncating(source[i]);
                }
            }

            offset += p.Length;
        }
    }

    private static void Scatter<TSource>(Parameter<T>[] tensors, bool gradients, ReadOnlySpan<TSource> source, int length, string paramName)
        where TSource : unmanaged, INumberBase<TSource>
    {
        CheckLength(source.Length, length, paramName);
        int offset = 0;
        foreach (Parameter<T> p in tensors)
        {
            Span<T> target = gradients ? p.Gradient : p.Value;
            ReadOnlySpan<TSource> from = source.Slice(offset, p.Length);
            if (typeof(TSource) == typeof(T))
            {
                MemoryMarshal.Cast<TSource, T>(from).CopyTo(target);
            }
            else
            {
                for (int i = 0; i < from.Length; i++)
                {
                    target[i] = T.CreateTruncating(from[i]);
                }
            }

            offset += p.Length;
        }
    }

    private static void CheckLength(int actual, int expected, string paramName)
    {
        if (actual < expected)
        {
            throw new ArgumentException($"expected at least {expected} values for the flat layout, got {actual}.", paramName);
        }
    }
}
