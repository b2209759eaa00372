namespace NeuralNet.Activations;

/// <summary>
/// The built-in activations and the name table used by <see cref="FromName"/> and by model files.
/// Names are lower-case; parameterised activations are written <c>name(key=value)</c>, e.g. <c>elu(alpha=0.5)</c>.
/// </summary>
public static class Activation
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Func<NameSpec, IActivation>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["identity"] = _ => NeuralNet.Activations.Identity.Instance,
        ["linear"] = _ => NeuralNet.Activations.Identity.Instance,
        ["step"] = _ => NeuralNet.Activations.Step.Instance,
        ["sigmoid"] = _ => NeuralNet.Activations.Sigmoid.Instance,
        ["tanh"] = _ => NeuralNet.Activations.Tanh.Instance,
        ["relu"] = _ => NeuralNet.Activations.ReLU.Instance,
        ["leaky_relu"] = s => new LeakyReLU(s.Get("alpha", 0.01)),
        ["elu"] = s => new Elu(s.Get("alpha", 1.0)),
        ["selu"] = _ => NeuralNet.Activations.Selu.Instance,
        ["gelu"] = _ => NeuralNet.Activations.Gelu.Instance,
        ["gelu_exact"] = _ => NeuralNet.Activations.GeluExact.Instance,
        ["silu"] = _ => NeuralNet.Activations.Silu.Instance,
        ["swish"] = _ => NeuralNet.Activations.Silu.Instance,
        ["softplus"] = _ => NeuralNet.Activations.Softplus.Instance,
        ["softmax"] = _ => NeuralNet.Activations.Softmax.Instance,
    };

    /// <summary><c>f(z) = z</c>.</summary>
    public static IActivation Identity => Activations.Identity.Instance;

    /// <summary>Heaviside step.</summary>
    public static IActivation Step => Activations.Step.Instance;

    /// <summary>Logistic sigmoid.</summary>
    public static IActivation Sigmoid => Activations.Sigmoid.Instance;

    /// <summary>Hyperbolic tangent.</summary>
    public static IActivation Tanh => Activations.Tanh.Instance;

    /// <summary>Rectified linear unit.</summary>
    public static IActivation ReLU => Activations.ReLU.Instance;

    /// <summary>Scaled exponential linear unit.</summary>
    public static IActivation Selu => Activations.Selu.Instance;

    /// <summary>Gaussian error linear unit (tanh form).</summary>
    public static IActivation Gelu => Activations.Gelu.Instance;

    /// <summary>Gaussian error linear unit, exact: <c>z Φ(z)</c> with <c>erf</c> (PyTorch's default GELU).</summary>
    public static IActivation GeluExact => Activations.GeluExact.Instance;

    /// <summary>Sigmoid-weighted linear unit (swish).</summary>
    public static IActivation Silu => Activations.Silu.Instance;

    /// <summary>Softplus.</summary>
    public static IActivation Softplus => Activations.Softplus.Instance;

    /// <summary>Row-wise softmax.</summary>
    public static IActivation Softmax => Activations.Softmax.Instance;

    /// <summary>Leaky ReLU with negative slope <paramref name="alpha"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is negative or not finite.</exception>
    public static IActivation LeakyReLU(double alpha = 0.01) => new LeakyReLU(alpha);

    /// <summary>ELU with parameter <paramref name="alpha"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is negative or not finite.</exception>
    public static IActivation Elu(double alpha = 1.0) => new Elu(alpha);

    /// <summary>The names <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyCollection<string> KnownNames
    {
        get
        {
            lock (Gate)
            {
                return Factories.Keys.Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Looks an activation up by name, e.g. <c>"relu"</c> or <c>"leaky_relu(alpha=0.2)"</c>.</summary>
    /// <param name="name">A name from <see cref="KnownNames"/>, optionally with parameters in parentheses.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the known ones) or malformed.</exception>
    public static IActivation FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        NameSpec spec = NameSpec.Parse(name, nameof(name));
        Func<NameSpec, IActivation>? factory;
        lock (Gate)
        {
            Factories.TryGetValue(spec.BaseName, out factory);
        }

        if (factory is null)
        {
            throw new ArgumentException($"Unknown activation '{name}'. Known activations: {string.Join(", ", KnownNames)}.", nameof(name));
        }

        return factory(spec);
    }

    /// <summary>
    /// Registers a custom activation so <see cref="FromName"/> and model files can find it by
    /// <see cref="IActivation.Name"/>. Only parameterless activations can be registered this way.
    /// </summary>
    /// <param name="name">The name, as the activation's <see cref="IActivation.Name"/> returns it.</param>
    /// <param name="factory">Returns the activation.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The name is empty, has parentheses, or is a built-in name.</exception>
    public static void Register(string name, Func<IActivation> factory)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrWhiteSpace(name) || name.Contains('(', StringComparison.Ordinal))
        {
            throw new ArgumentException($"An activation name must be non-empty and without parentheses. Received: '{name}'.", nameof(name));
        }

        lock (Gate)
        {
            if (Factories.TryGetValue(name, out Func<NameSpec, IActivation>? existing) && existing.Target is not CustomFactory)
            {
                throw new ArgumentException($"'{name}' is a built-in activation and cannot be replaced.", nameof(name));
            }

            Factories[name] = new CustomFactory(factory).Create;
        }
    }

    private sealed class CustomFactory(Func<IActivation> factory)
    {
        public IActivation Create(NameSpec _) => factory();
    }
}
