namespace NeuralNet.Initializers;

/// <summary>The built-in weight initialisers and the name table used by <see cref="FromName"/>.</summary>
public static class Initializer
{

    /// <summary>Glorot/Xavier uniform: <c>U(-sqrt(6/(in+out)), sqrt(6/(in+out)))</c>. The default for tanh, sigmoid and softmax.</summary>
    public static IInitializer GlorotUniform { get; } = new VarianceScaling("glorot_uniform", 1, FanMode.FanAverage, uniform: true);

    /// <summary>Glorot/Xavier normal: <c>N(0, 2/(in+out))</c>.</summary>
    public static IInitializer GlorotNormal { get; } = new VarianceScaling("glorot_normal", 1, FanMode.FanAverage, uniform: false);

    /// <summary>He uniform: <c>U(-sqrt(6/in), sqrt(6/in))</c>.</summary>
    public static IInitializer HeUniform { get; } = new VarianceScaling("he_uniform", 2, FanMode.FanIn, uniform: true);

    /// <summary>He normal: <c>N(0, 2/in)</c>. The default for the ReLU family.</summary>
    public static IInitializer HeNormal { get; } = new VarianceScaling("he_normal", 2, FanMode.FanIn, uniform: false);

    /// <summary>LeCun normal: <c>N(0, 1/in)</c>. The default for SELU.</summary>
    public static IInitializer LeCunNormal { get; } = new VarianceScaling("lecun_normal", 1, FanMode.FanIn, uniform: false);

    /// <summary>All zeros (biases; never for the weights of a hidden layer, which would stay symmetric).</summary>
    public static IInitializer Zeros { get; } = new ConstantInitializer(0);

    /// <summary>Every weight set to <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not finite.</exception>
    public static IInitializer Constant(double value) => new ConstantInitializer(value);

    private static readonly Dictionary<string, Func<NameSpec, IInitializer>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["glorot_uniform"] = _ => GlorotUniform,
        ["glorot_normal"] = _ => GlorotNormal,
        ["he_uniform"] = _ => HeUniform,
        ["he_normal"] = _ => HeNormal,
        ["lecun_normal"] = _ => LeCunNormal,
        ["zeros"] = _ => Zeros,
        ["constant"] = s => new ConstantInitializer(s.Get("value", 0)),
    };

    /// <summary>The names <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyCollection<string> KnownNames => Factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Looks an initialiser up by name.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the known ones).</exception>
    public static IInitializer FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        NameSpec spec = NameSpec.Parse(name, nameof(name));
        if (!Factories.TryGetValue(spec.BaseName, out Func<NameSpec, IInitializer>? factory))
        {
            throw new ArgumentException($"Unknown initializer '{name}'. Known initializers: {string.Join(", ", KnownNames)}.", nameof(name));
        }

        return factory(spec);
    }

    /// <summary>The initialiser that suits <paramref name="activation"/>: He normal for the ReLU family, LeCun normal for
    /// SELU, Glorot uniform otherwise.</summary>
    public static IInitializer DefaultFor(Activations.IActivation activation) => activation switch
    {
        Activations.ReLU or Activations.LeakyReLU or Activations.Elu or Activations.Gelu or Activations.GeluExact or Activations.Silu => HeNormal,
        Activations.Selu => LeCunNormal,
        _ => GlorotUniform,
    };
}
